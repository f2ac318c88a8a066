{#-
    Periodic snapshot, grain customer x day, over the last
    var customer_daily_snapshot_days (90) complete days before as_of: a row for
    every served customer (slv_served_customers) already known on that day (first seen on or
    before it). Each row states the customer at the end of the day (reference
    time = next midnight), so the row of the day before a midnight as_of agrees
    with slv_customer_states.

    Additive over customers and days: orders_count, revenue, events_count,
    sessions_count. Semi-additive (sum over customers, never over days; take the
    last day): cumulative_orders, cumulative_revenue, loyalty_points_balance.
    Non-additive: lifecycle_stage, days_since_last_purchase.

    Loyalty points have no history in the delivery: the current balance is shown
    from the day of the membership's last update on, null before.
-#}
{%- set days = var('customer_daily_snapshot_days') -%}
{%- set window_start = dbt.dateadd('day', -1 * days, as_of_date()) -%}

with

days as (
    select cast({{ dbt.dateadd('day', '-1 * generated_number', as_of_date()) }} as date) as snapshot_date
    from ({{ dbt.generate_series(days) }}) as series
),

customers as (
    select
        customer360_id,
        cast(first_seen_at as date) as first_seen_date,
        loyalty_points_balance
    from {{ ref('slv_served_customers') }}
    where first_seen_at is not null
),

loyalty_known as (
    select
        customer360_id,
        cast(max(record_updated_at) as date) as balance_known_from
    from {{ ref('slv_customer_records') }}
    where source_system = 'loyalty'
    group by customer360_id
),

orders as (
    select
        customer360_id,
        ordered_at,
        order_date,
        order_value,
        is_reactivation
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

orders_before as (
    select
        customer360_id,
        count(*) as orders_count,
        sum(order_value) as revenue,
        min(ordered_at) as first_purchase_at,
        max(ordered_at) as last_purchase_at,
        max(case when is_reactivation then ordered_at end) as last_reactivation_at
    from orders
    where order_date < cast({{ window_start }} as date)
    group by customer360_id
),

orders_daily as (
    select
        customer360_id,
        order_date as activity_date,
        count(*) as orders_count,
        sum(order_value) as revenue,
        min(ordered_at) as first_purchase_at,
        max(ordered_at) as last_purchase_at,
        max(case when is_reactivation then ordered_at end) as last_reactivation_at
    from orders
    where order_date >= cast({{ window_start }} as date)
    group by customer360_id, order_date
),

events_daily as (
    select
        customer360_id,
        event_date as activity_date,
        count(*) as events_count,
        count(case when starts_session then 1 end) as sessions_count
    from {{ ref('slv_customer_events') }}
    where is_customer_initiated and event_date >= cast({{ window_start }} as date)
    group by customer360_id, event_date
),

contacts_daily as (
    select
        customer360_id,
        contact_date as activity_date,
        count(*) as contacts_count
    from {{ ref('slv_customer_service_contacts') }}
    where contact_date >= cast({{ window_start }} as date)
    group by customer360_id, contact_date
),

-- the running order figures change only on a customer's order days: computed over those few rows (not over
-- every customer x day, which at 1,000,000 people is 90 million rows in one window) and valid until the next
order_states as (
    select
        customer360_id,
        activity_date as valid_from,
        lead(activity_date) over (partition by customer360_id order by activity_date) as valid_until,
        sum(orders_count) over customer_to_date as window_orders,
        sum(revenue) over customer_to_date as window_revenue,
        min(first_purchase_at) over customer_to_date as window_first_purchase_at,
        max(last_purchase_at) over customer_to_date as window_last_purchase_at,
        max(last_reactivation_at) over customer_to_date as window_last_reactivation_at
    from orders_daily
    window customer_to_date as (
        partition by customer360_id order by activity_date rows between unbounded preceding and current row
    )
),

customer_days as (
    select
        customers.customer360_id,
        days.snapshot_date,
        customers.loyalty_points_balance,
        loyalty_known.balance_known_from,
        coalesce(orders_daily.orders_count, 0) as orders_count,
        coalesce(orders_daily.revenue, 0) as revenue,
        coalesce(events_daily.events_count, 0) as events_count,
        coalesce(events_daily.sessions_count, 0) as sessions_count,
        coalesce(contacts_daily.contacts_count, 0) as contacts_count,
        coalesce(orders_before.orders_count, 0) + coalesce(order_states.window_orders, 0) as cumulative_orders,
        coalesce(orders_before.revenue, 0) + coalesce(order_states.window_revenue, 0) as cumulative_revenue,
        coalesce(orders_before.first_purchase_at, order_states.window_first_purchase_at) as first_purchase_at,
        coalesce(order_states.window_last_purchase_at, orders_before.last_purchase_at) as last_purchase_at,
        coalesce(order_states.window_last_reactivation_at, orders_before.last_reactivation_at)
            as last_reactivation_at,
        cast({{ dbt.dateadd('day', 1, 'days.snapshot_date') }} as {{ dbt.type_timestamp() }}) as day_end_at
    from customers
    inner join days on customers.first_seen_date <= days.snapshot_date
    left join loyalty_known on customers.customer360_id = loyalty_known.customer360_id
    left join orders_before on customers.customer360_id = orders_before.customer360_id
    left join order_states
        on
            customers.customer360_id = order_states.customer360_id
            and days.snapshot_date >= order_states.valid_from
            and (order_states.valid_until is null or days.snapshot_date < order_states.valid_until)
    left join orders_daily
        on customers.customer360_id = orders_daily.customer360_id and days.snapshot_date = orders_daily.activity_date
    left join events_daily
        on customers.customer360_id = events_daily.customer360_id and days.snapshot_date = events_daily.activity_date
    left join contacts_daily
        on
            customers.customer360_id = contacts_daily.customer360_id
            and days.snapshot_date = contacts_daily.activity_date
),

final as (
    select
        cast(customer360_id || ':' || cast(snapshot_date as {{ dbt.type_string() }}) as varchar) as customer_day_key,
        cast(customer360_id as varchar) as customer360_id,
        cast(snapshot_date as date) as snapshot_date,
        cast(
            {{ lifecycle_stage('first_purchase_at', 'last_purchase_at', 'last_reactivation_at', 'day_end_at') }}
            as varchar
        ) as lifecycle_stage,
        cast(orders_count as integer) as orders_count,
        cast(revenue as numeric(18, 2)) as revenue,
        cast(events_count as integer) as events_count,
        cast(sessions_count as integer) as sessions_count,
        cast(orders_count + events_count + contacts_count > 0 as boolean) as is_active,
        cast(cumulative_orders as integer) as cumulative_orders,
        cast(cumulative_revenue as numeric(18, 2)) as cumulative_revenue,
        cast(
            case when last_purchase_at is not null then {{ dbt.datediff('last_purchase_at', 'day_end_at', 'day') }} end
            as integer
        ) as days_since_last_purchase,
        cast(case when balance_known_from <= snapshot_date then loyalty_points_balance end as bigint)
            as loyalty_points_balance
    from customer_days
)

select * from final
