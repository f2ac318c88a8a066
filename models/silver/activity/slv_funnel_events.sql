{#-
    The events of every funnel of mart_funnel_steps in one shape: one row per (funnel, entity, event), the
    event's step code (event_type) and the split values the mart reports by. Identity, sessions and campaigns
    come from silver (slv_customer_events, slv_customer_orders, slv_source_records through slv_customer_id_map,
    slv_served_customers), so the funnel macro only orders steps.

    funnel_name / entity_id / event_type:
      purchase  session_id; product_view, add_to_cart, checkout_start, purchase (web and app sessions).
      signup    customer360_id; visit (page_view, screen_view or app_open), signup (a signup event, or the
                creation of the customer's web shop account: the sample tracks no signup event), login,
                first_order (completed orders; the funnel's first reached one counts).
      form      session_id; form_start, form_submit.
      message   customer360_id | campaign; message_sent (email_sent, push_sent), message_opened (email_open,
                push_open), message_clicked (email_click; a push_open is the tap on the notification, so it is
                also the push's click, at the same time), campaign_visit (a session landing with the
                campaign's utm_campaign; a push without campaign: any app session of the customer), order
                (a completed order of the customer). Push messages carry no utm_campaign in the sample: they
                form one campaign, untagged_push.

    Splits (the session's landing for visits, the message for messages): platform (web, app, email, push),
    device_type, marketing_channel (macro marketing_channel on the landing's utm and referrer; Email or Push
    for messages), utm_campaign, customer_segment (slv_served_customers.primary_segment; null for devices no
    served customer owns).
-#}

with

events as (
    select
        event_id,
        customer360_id,
        event_at,
        event_type,
        channel,
        device_type,
        session_id,
        starts_session,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer
    from {{ ref('slv_customer_events') }}
),

segments as (
    select
        customer360_id,
        primary_segment
    from {{ ref('slv_served_customers') }}
),

landings as (
    select
        session_id,
        channel as platform,
        device_type,
        utm_campaign,
        {{ marketing_channel('utm_source', 'utm_medium', 'referrer') }} as marketing_channel
    from events
    where starts_session and session_id is not null
),

session_events as (
    select
        events.event_id,
        events.customer360_id,
        events.event_at,
        events.event_type,
        events.session_id,
        events.starts_session,
        landings.platform,
        landings.device_type,
        landings.marketing_channel,
        landings.utm_campaign
    from events
    inner join landings on events.session_id = landings.session_id
),

purchase as (
    select
        'purchase' as funnel_name,
        session_id as entity_id,
        event_id,
        event_at,
        event_type,
        customer360_id,
        platform,
        device_type,
        marketing_channel,
        utm_campaign
    from session_events
    where event_type in ('product_view', 'add_to_cart', 'checkout_start', 'purchase')
),

form as (
    select
        'form' as funnel_name,
        session_id as entity_id,
        event_id,
        event_at,
        event_type,
        customer360_id,
        platform,
        device_type,
        marketing_channel,
        utm_campaign
    from session_events
    where event_type in ('form_start', 'form_submit')
),

source_records as (
    select
        source_id,
        first_seen_at
    from {{ ref('slv_source_records') }}
    where source_system = 'ecom'
),

accounts as (
    {{ map_to_customer360('source_records', [('ecom', 'source_id')]) }}
),

completed_orders as (
    select
        order_id,
        customer360_id,
        ordered_at
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

signup as (
    select
        'signup' as funnel_name,
        customer360_id as entity_id,
        event_id,
        event_at,
        case when event_type in ('signup', 'login') then event_type else 'visit' end as event_type,
        customer360_id,
        platform,
        device_type,
        marketing_channel,
        cast(null as {{ dbt.type_string() }}) as utm_campaign
    from session_events
    where event_type in ('page_view', 'screen_view', 'app_open', 'signup', 'login')
    union all
    select
        'signup' as funnel_name,
        customer360_id as entity_id,
        'account-' || source_id as event_id,
        first_seen_at as event_at,
        'signup' as event_type,
        customer360_id,
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as marketing_channel,
        cast(null as {{ dbt.type_string() }}) as utm_campaign
    from accounts
    where customer360_id is not null
    union all
    select
        'signup' as funnel_name,
        customer360_id as entity_id,
        order_id as event_id,
        ordered_at as event_at,
        'first_order' as event_type,
        customer360_id,
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as marketing_channel,
        cast(null as {{ dbt.type_string() }}) as utm_campaign
    from completed_orders
),

messages as (
    select
        event_id,
        customer360_id,
        event_at,
        event_type,
        case when event_type in ('push_sent', 'push_open') then 'push' else 'email' end as platform,
        case when event_type in ('push_sent', 'push_open') then 'Push' else 'Email' end as marketing_channel,
        coalesce(
            utm_campaign,
            case when event_type in ('push_sent', 'push_open') then 'untagged_push' end
        ) as utm_campaign
    from events
    where event_type in ('email_sent', 'email_open', 'email_click', 'push_sent', 'push_open')
),

message_steps as (
    select
        messages.*,
        'message_sent' as step
    from messages
    where messages.event_type in ('email_sent', 'push_sent')
    union all
    select
        messages.*,
        'message_opened' as step
    from messages
    where messages.event_type in ('email_open', 'push_open')
    union all
    select
        messages.*,
        'message_clicked' as step
    from messages
    where messages.event_type in ('email_click', 'push_open')
),

message_entities as (
    select distinct
        customer360_id,
        utm_campaign
    from message_steps
    where utm_campaign is not null
),

campaign_visits as (
    select
        message_entities.customer360_id,
        message_entities.utm_campaign,
        session_events.event_id,
        session_events.event_at
    from message_entities
    inner join session_events
        on message_entities.customer360_id = session_events.customer360_id
            and session_events.starts_session
            and (
                message_entities.utm_campaign = session_events.utm_campaign
                or (message_entities.utm_campaign = 'untagged_push' and session_events.platform = 'app')
            )
),

campaign_orders as (
    select
        message_entities.customer360_id,
        message_entities.utm_campaign,
        completed_orders.order_id as event_id,
        completed_orders.ordered_at as event_at
    from message_entities
    inner join completed_orders on message_entities.customer360_id = completed_orders.customer360_id
),

message as (
    select
        'message' as funnel_name,
        customer360_id || '|' || utm_campaign as entity_id,
        event_id,
        event_at,
        step as event_type,
        customer360_id,
        platform,
        cast(null as {{ dbt.type_string() }}) as device_type,
        marketing_channel,
        utm_campaign
    from message_steps
    where utm_campaign is not null
    union all
    select
        'message' as funnel_name,
        customer360_id || '|' || utm_campaign as entity_id,
        event_id,
        event_at,
        'campaign_visit' as event_type,
        customer360_id,
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as marketing_channel,
        utm_campaign
    from campaign_visits
    union all
    select
        'message' as funnel_name,
        customer360_id || '|' || utm_campaign as entity_id,
        event_id,
        event_at,
        'order' as event_type,
        customer360_id,
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as marketing_channel,
        utm_campaign
    from campaign_orders
),

unioned as (
    select * from purchase
    union all
    select * from form
    union all
    select * from signup
    union all
    select * from message
),

final as (
    select
        unioned.funnel_name,
        unioned.entity_id,
        unioned.event_id,
        unioned.event_at,
        unioned.event_type,
        unioned.customer360_id,
        unioned.platform,
        unioned.device_type,
        unioned.marketing_channel,
        unioned.utm_campaign,
        segments.primary_segment as customer_segment
    from unioned
    left join segments on unioned.customer360_id = segments.customer360_id
)

select * from final
