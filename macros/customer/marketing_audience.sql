{#-
    marketing_audience(scope): the select of a marketing audience model (GEN-04).
    Members: served customers (slv_served_customers) with a current opt-in for the
    consent scope that opens the channel (var marketing_consent_channels) and a
    way to reach them there (slv_customer_channels.is_contactable). The contact
    point (e-mail for email, E.164 phone for sms, none for push: the app
    addresses the customer360_id) is masked outside prod (GEN-06). The consent
    that allows the contact is kept as evidence.
-#}
{% macro marketing_audience(scope) -%}
    {%- set channel = var('marketing_consent_channels')[scope] -%}
    {%- set contact = {'email': mask_pii('profiles.primary_email', 'email'),
                       'sms': mask_pii('profiles.primary_phone', 'phone')}.get(channel, 'null') -%}
with

members as (
    select
        customer360_id,
        channel,
        scope,
        status_captured_at,
        evidence_consent_id
    from {{ ref('slv_customer_channels') }}
    where scope = '{{ scope }}' and is_contactable
),

customers as (
    select
        customer360_id,
        lifecycle_stage,
        primary_segment,
        preferred_channel
    from {{ ref('slv_served_customers') }}
),

profiles as (
    select
        customer360_id,
        primary_email,
        primary_phone
    from {{ ref('slv_customer_profiles') }}
),

final as (
    select
        cast(members.customer360_id as varchar) as customer360_id,
        cast(members.channel as varchar) as channel,
        cast(members.scope as varchar) as consent_scope,
        cast({{ contact }} as varchar) as contact_address,
        cast(members.status_captured_at as timestamp) as opted_in_at,
        cast(members.evidence_consent_id as varchar) as consent_evidence_id,
        cast(customers.lifecycle_stage as varchar) as lifecycle_stage,
        cast(customers.primary_segment as varchar) as primary_segment,
        cast(coalesce(customers.preferred_channel = members.channel, false) as boolean) as is_preferred_channel
    from members
    inner join customers on members.customer360_id = customers.customer360_id
    inner join profiles on members.customer360_id = profiles.customer360_id
)

select * from final
{%- endmacro %}
