{#-
    Marketing channels per customer: one row per customer and marketing consent
    scope the customer has a current consent for (var marketing_consent_channels:
    email_marketing -> email, sms_offers -> sms, push_notifications -> push),
    with the consent and whether the customer can be reached there:
      email  a primary e-mail is known
      sms    a primary phone is known
      push   the customer uses the app (app events or push messages seen)
    is_contactable = opted in and reachable: the only rows marketing audiences
    (GEN-04) and dim_customer.preferred_channel may use. channel_engagement is
    what the customer did on the channel (e-mail opens + clicks; push opens + app
    events; SMS is not tracked: 0).
-#}
{%- set channels = var('marketing_consent_channels') -%}
{%- set channel_order = ['email', 'sms', 'push'] -%}

with

consents as (
    select
        customer360_id,
        scope,
        status,
        is_opted_in,
        status_captured_at,
        evidence_consent_id,
        case scope
            {%- for scope, channel in channels.items() %}
            when '{{ scope }}' then '{{ channel }}'
            {%- endfor %}
        end as channel
    from {{ ref('slv_customer_consents') }}
),

profiles as (
    select
        customer360_id,
        primary_email,
        primary_phone
    from {{ ref('slv_customer_profiles') }}
),

activity as (
    select
        customer360_id,
        email_opens,
        email_clicks,
        push_opens,
        push_notifications,
        app_events
    from {{ ref('slv_customer_activity') }}
),

channels as (
    select
        consents.customer360_id,
        consents.channel,
        consents.scope,
        consents.status,
        consents.is_opted_in,
        consents.status_captured_at,
        consents.evidence_consent_id,
        case consents.channel
            when 'email' then profiles.primary_email is not null
            when 'sms' then profiles.primary_phone is not null
            when 'push' then activity.app_events + activity.push_notifications > 0
            else false
        end as is_reachable,
        case consents.channel
            when 'email' then activity.email_opens + activity.email_clicks
            when 'push' then activity.push_opens + activity.app_events
            else 0
        end as channel_engagement,
        case consents.channel
            {%- for channel in channel_order %}
            when '{{ channel }}' then {{ loop.index }}
            {%- endfor %}
            else {{ channel_order | length + 1 }}
        end as channel_priority
    from consents
    inner join profiles on consents.customer360_id = profiles.customer360_id
    inner join activity on consents.customer360_id = activity.customer360_id
    where consents.channel is not null
),

final as (
    select
        *,
        is_opted_in and is_reachable as is_contactable
    from channels
)

select * from final
