{#-
    Periodic snapshot, grain household x day, over the same days as
    fct_customer_daily_snapshot (the last var customer_daily_snapshot_days
    complete days before as_of), rolled up from it for the households of
    dim_household. A household has a row from the first day one of its members
    is known.

    Additive over households and days: orders_count, revenue. Semi-additive
    (sum over households, never over days): members_known, active_members,
    purchasing_members, cumulative_orders, cumulative_revenue,
    loyalty_points_balance.
-#}

with

members as (
    select
        households.customer360_id,
        households.household_id
    from {{ ref('slv_households') }} as households
    inner join {{ ref('dim_household') }} as served on households.household_id = served.household_id
),

daily as (
    select * from {{ ref('fct_customer_daily_snapshot') }}
),

rolled_up as (
    select
        members.household_id,
        daily.snapshot_date,
        count(*) as members_known,
        count(case when daily.lifecycle_stage in {{ lifecycle_active_stages_sql() }} then 1 end) as active_members,
        count(case when daily.cumulative_orders > 0 then 1 end) as purchasing_members,
        sum(daily.orders_count) as orders_count,
        sum(daily.revenue) as revenue,
        sum(daily.cumulative_orders) as cumulative_orders,
        sum(daily.cumulative_revenue) as cumulative_revenue,
        sum(daily.loyalty_points_balance) as loyalty_points_balance
    from daily
    inner join members on daily.customer360_id = members.customer360_id
    group by members.household_id, daily.snapshot_date
),

final as (
    select
        cast(household_id || ':' || cast(snapshot_date as {{ dbt.type_string() }}) as varchar) as household_day_key,
        cast(household_id as varchar) as household_id,
        cast(snapshot_date as date) as snapshot_date,
        cast(members_known as integer) as members_known,
        cast(active_members as integer) as active_members,
        cast(purchasing_members as integer) as purchasing_members,
        cast(orders_count as integer) as orders_count,
        cast(revenue as numeric(18, 2)) as revenue,
        cast(cumulative_orders as integer) as cumulative_orders,
        cast(cumulative_revenue as numeric(18, 2)) as cumulative_revenue,
        cast(loyalty_points_balance as bigint) as loyalty_points_balance
    from rolled_up
)

select * from final
