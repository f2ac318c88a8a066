{#-
    Every current tracking event of a resolved customer, up to as_of and within
    the retention window (GEN-03), with its channel and session.

    Customer: the logged-in web user (ecom), else the CRM customer of e-mail and
    push events (crm), else the device (anonymous); each through customer_id_map.
    A device that identity resolution linked to a web user belongs to that
    user's customer, so pre-login events of a known device count for the person.

    Channel: web (platform web), app (ios, android), email (platform email),
    push (push_sent, push_open).

    Session: events of one device (anonymous_id) belong to the same session
    until the device is silent for more than var session_timeout_minutes (30);
    session_id = anonymous_id and the session's number on the device. E-mail
    and push events have no device and no session.

    is_customer_initiated: false for what the business sends (email_sent,
    push_sent); those are not the customer being seen.
-#}

with

id_map as (
    select
        source_system,
        source_id,
        customer360_id
    from {{ ref('customer_id_map') }}
),

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
        order_id
    from {{ ref('brz_tracking__events') }}
    where
        _is_current
        and {{ within_retention_window('event_at') }}
),

device_sequence as (
    select
        event_id,
        case
            when
                lag(event_at) over (partition by anonymous_id order by event_at, event_id) is null
                or event_at > {{ dbt.dateadd('minute', var('session_timeout_minutes'),
                    'lag(event_at) over (partition by anonymous_id order by event_at, event_id)') }}
                then 1
            else 0
        end as starts_session
    from events
    where anonymous_id is not null
),

device_sessions as (
    select
        device_sequence.event_id,
        device_sequence.starts_session,
        sum(device_sequence.starts_session) over (
            partition by events.anonymous_id order by events.event_at, events.event_id
            rows between unbounded preceding and current row
        ) as session_number
    from device_sequence
    inner join events on device_sequence.event_id = events.event_id
),

mapped as (
    {{ map_to_customer360('events', [('ecom', 'web_user_id'), ('crm', 'customer_id'), ('anonymous', 'anonymous_id')]) }}
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
        case
            when device_sessions.session_number is not null
                then mapped.anonymous_id || '-' || cast(device_sessions.session_number as {{ dbt.type_string() }})
        end as session_id,
        coalesce(device_sessions.starts_session = 1, false) as starts_session,
        mapped.event_type not in ('email_sent', 'push_sent') as is_customer_initiated
    from mapped
    left join device_sessions on mapped.event_id = device_sessions.event_id
    where mapped.customer360_id is not null
)

select * from final
