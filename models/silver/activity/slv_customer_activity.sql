{#-
    Activity of every resolved customer (one row per customer360_id of
    slv_customer_profiles) up to as_of and within the retention window: orders,
    refunds, sessions, events, service contacts, first/last seen and the
    recent-window counts the scores use. Customers without activity have zero
    counts and null times.

    is_known: the customer is known at as_of inside the retention window (a
    touchpoint or source record created in [as_of - retention, as_of], or a
    record changed in it). Only known customers get a state, a snapshot version
    and a row in gold: a customer who first appears after as_of (when replaying
    an earlier as_of) or whose data is all older than the retention window
    (GEN-03) is not served.

    Touchpoints (first_seen_at, last_seen_at, last_channel_seen): orders
    (channel = sales channel: web, app, store), customer-initiated events (web,
    app, email, push), service contacts (support) and the creation of the
    customer's source records (registration, enrolment, account; first/last seen
    only, no channel). Sends (email_sent, push_sent) are not touchpoints.
-#}

with

customers as (
    select
        customer360_id,
        last_record_update_at
    from {{ ref('slv_customer_profiles') }}
),

orders as (
    select * from {{ ref('slv_customer_orders') }}
),

events as (
    select * from {{ ref('slv_customer_events') }}
),

contacts as (
    select * from {{ ref('slv_customer_service_contacts') }}
),

records as (
    select
        customer360_id,
        first_seen_at
    from {{ ref('slv_customer_records') }}
    where
        {{ within_retention_window('first_seen_at') }}
),

order_stats as (
    select
        customer360_id,
        min(case when is_completed then ordered_at end) as first_purchase_at,
        max(case when is_completed then ordered_at end) as last_purchase_at,
        max(case when is_reactivation then ordered_at end) as last_reactivation_at,
        count(case when is_completed then 1 end) as orders_count,
        sum(case when is_completed then order_value else 0 end) as total_revenue,
        count(case when is_refunded then 1 end) as refunds_count,
        sum(case when is_refunded then refund_amount else 0 end) as refunds_amount,
        count(
            case when is_completed and ordered_at > {{ dbt.dateadd('day', -365, as_of_timestamp()) }} then 1 end
        ) as orders_last_365d,
        sum(
            case
                when is_completed and ordered_at > {{ dbt.dateadd('day', -365, as_of_timestamp()) }} then order_value
                else 0
            end
        ) as revenue_last_365d
    from orders
    group by customer360_id
),

event_stats as (
    select
        customer360_id,
        count(distinct session_id) as total_sessions,
        count(case when is_customer_initiated then 1 end) as total_interactions,
        count(case when event_type = 'email_open' then 1 end) as email_opens,
        count(case when event_type = 'email_click' then 1 end) as email_clicks,
        count(case when event_type = 'push_sent' then 1 end) as push_notifications,
        count(case when event_type = 'push_open' then 1 end) as push_opens,
        count(case when channel = 'app' then 1 end) as app_events,
        count(distinct case when event_at > {{ dbt.dateadd('day', -90, as_of_timestamp()) }} then session_id end)
            as sessions_last_90d,
        count(
            case
                when
                    event_type in ('email_open', 'email_click', 'push_open')
                    and event_at > {{ dbt.dateadd('day', -90, as_of_timestamp()) }}
                    then 1
            end
        ) as message_engagements_last_90d,
        count(
            case
                when
                    event_type in ('add_to_cart', 'checkout_start')
                    and event_at > {{ dbt.dateadd('day', -30, as_of_timestamp()) }}
                    then 1
            end
        ) as cart_events_last_30d
    from events
    group by customer360_id
),

contact_stats as (
    select
        customer360_id,
        count(case when contact_source = 'support_ticket' then 1 end) as support_tickets,
        count(case when contact_source = 'crm_interaction' then 1 end) as service_interactions,
        count(case when contact_source = 'nps_response' then 1 end) as nps_responses,
        max(case when is_support_touchpoint then coalesce(resolved_at, contacted_at) end) as last_resolution_at,
        max(case when is_support_touchpoint then contacted_at end) as last_support_contact_at
    from contacts
    group by customer360_id
),

touchpoints as (
    select
        customer360_id,
        ordered_at as touched_at,
        sales_channel as channel
    from orders
    union all
    select
        customer360_id,
        event_at as touched_at,
        channel
    from events
    where is_customer_initiated
    union all
    select
        customer360_id,
        contacted_at as touched_at,
        'support' as channel
    from contacts
    union all
    select
        customer360_id,
        first_seen_at as touched_at,
        cast(null as {{ dbt.type_string() }}) as channel
    from records
),

touch_stats as (
    select
        customer360_id,
        min(touched_at) as first_seen_at,
        max(touched_at) as last_seen_at
    from touchpoints
    group by customer360_id
),

last_channel as (
    select
        customer360_id,
        channel as last_channel_seen
    from (
        select
            customer360_id,
            channel,
            row_number() over (partition by customer360_id order by touched_at desc, channel asc) as recency_rank
        from touchpoints
        where channel is not null
    ) as ranked
    where recency_rank = 1
),

final as (
    select
        customers.customer360_id,
        touch_stats.first_seen_at,
        touch_stats.last_seen_at,
        last_channel.last_channel_seen,
        order_stats.first_purchase_at,
        order_stats.last_purchase_at,
        order_stats.last_reactivation_at,
        coalesce(order_stats.orders_count, 0) as orders_count,
        cast(coalesce(order_stats.total_revenue, 0) as {{ dbt.type_numeric() }}) as total_revenue,
        coalesce(order_stats.refunds_count, 0) as refunds_count,
        cast(coalesce(order_stats.refunds_amount, 0) as {{ dbt.type_numeric() }}) as refunds_amount,
        coalesce(order_stats.orders_last_365d, 0) as orders_last_365d,
        cast(coalesce(order_stats.revenue_last_365d, 0) as {{ dbt.type_numeric() }}) as revenue_last_365d,
        coalesce(event_stats.total_sessions, 0) as total_sessions,
        coalesce(event_stats.total_interactions, 0) as total_interactions,
        coalesce(event_stats.email_opens, 0) as email_opens,
        coalesce(event_stats.email_clicks, 0) as email_clicks,
        coalesce(event_stats.push_notifications, 0) as push_notifications,
        coalesce(event_stats.push_opens, 0) as push_opens,
        coalesce(event_stats.app_events, 0) as app_events,
        coalesce(event_stats.sessions_last_90d, 0) as sessions_last_90d,
        coalesce(event_stats.message_engagements_last_90d, 0) as message_engagements_last_90d,
        coalesce(event_stats.cart_events_last_30d, 0) as cart_events_last_30d,
        coalesce(contact_stats.support_tickets, 0) as support_tickets,
        coalesce(contact_stats.service_interactions, 0) as service_interactions,
        coalesce(contact_stats.nps_responses, 0) as nps_responses,
        greatest(contact_stats.last_support_contact_at, contact_stats.last_resolution_at) as last_support_interaction_at,
        customers.last_record_update_at,
        touch_stats.first_seen_at is not null
        or coalesce(
            {{ within_retention_window('customers.last_record_update_at') }}, false
        ) as is_known
    from customers
    left join order_stats on customers.customer360_id = order_stats.customer360_id
    left join event_stats on customers.customer360_id = event_stats.customer360_id
    left join contact_stats on customers.customer360_id = contact_stats.customer360_id
    left join touch_stats on customers.customer360_id = touch_stats.customer360_id
    left join last_channel on customers.customer360_id = last_channel.customer360_id
)

select * from final
