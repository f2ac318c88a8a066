{#-
    Every current tracking event of a resolved customer, up to as_of and within
    the retention window (GEN-03), with its channel and session.

    Customer: the logged-in web user (ecom), else the CRM customer of e-mail and
    push events (crm), else the device (anonymous); each through slv_customer_id_map.
    A device that identity resolution linked to a web user belongs to that
    user's customer, so pre-login events of a known device count for the person.

    Channel: web (platform web), app (ios, android), email (platform email),
    push (push_sent, push_open).

    Session: macro sessionize over each device (anonymous_id): a new session
    after var session_timeout_minutes (30) of silence, or when an event lands
    from another traffic source (utm parameters or an external referrer;
    var session_split_on_source), or at midnight if var
    session_split_at_midnight; session_id = anonymous_id and the session's
    number on the device. E-mail and push messages are no visit: no session.

    Traffic source: utm parameters and referrer as tracked (landing events
    carry them); traffic_source_key joins them for the session split.

    is_customer_initiated: false for what the business sends (email_sent,
    push_sent); those are not the customer being seen.
-#}

with

events as (
    select
        event_id,
        anonymous_id,
        web_user_id,
        customer_id,
        event_at,
        event_type,
        platform,
        device_type,
        product_id,
        order_id,
        revenue,
        feature_name,
        page_url,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        case
            when coalesce(utm_source, utm_medium, utm_campaign) is not null
                then
                    coalesce(utm_source, '') || '/' || coalesce(utm_medium, '') || '/'
                    || coalesce(utm_campaign, '')
            else referrer
        end as traffic_source_key,
        -- sessions are visits (web and app); messages sent or opened are not
        case
            when platform in ('web', 'ios', 'android') and event_type not in ('push_sent', 'push_open')
                then anonymous_id
        end as session_device
    from {{ ref('slv_events') }}
),

device_sessions as (
    {{ sessionize('events', partition_by='session_device', timestamp_column='event_at',
        order_by_tiebreak='event_id', source_column='traffic_source_key') }}
),

mapped as (
    {{ map_to_customer360('device_sessions', [('ecom', 'web_user_id'), ('crm', 'customer_id'), ('anonymous', 'anonymous_id')]) }}
),

final as (
    select
        mapped.event_id,
        mapped.customer360_id,
        mapped.event_at,
        cast(mapped.event_at as date) as event_date,
        mapped.event_type,
        mapped.platform,
        case
            when mapped.event_type in ('push_sent', 'push_open') then 'push'
            when mapped.platform = 'email' then 'email'
            when mapped.platform in ('ios', 'android') then 'app'
            else 'web'
        end as channel,
        mapped.device_type,
        mapped.anonymous_id,
        mapped.product_id,
        mapped.order_id,
        mapped.revenue,
        mapped.feature_name,
        mapped.web_user_id is not null as is_logged_in,
        mapped.page_url,
        mapped.referrer,
        mapped.utm_source,
        mapped.utm_medium,
        mapped.utm_campaign,
        case
            when mapped.session_number is not null
                then mapped.session_device || '-' || cast(mapped.session_number as {{ dbt.type_string() }})
        end as session_id,
        coalesce(mapped.starts_session = 1, false) as starts_session,
        mapped.event_type not in ('email_sent', 'push_sent') as is_customer_initiated
    from mapped
    where mapped.customer360_id is not null
)

select * from final
