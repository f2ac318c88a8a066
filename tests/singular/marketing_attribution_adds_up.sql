{{ config(tags=['marketing', 'attribution']) }}
-- Under every model the channel roll-up credits exactly the completed orders and their revenue
-- (no conversion or revenue lost or counted twice). Returns the models that do not add up; a NULL total on
-- either side (revenue lost to a NULL) is a failure, not a pass.

with

orders as (
    select
        count(*) as conversions,
        sum(order_value) as revenue
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

rollup as (
    select
        attribution_model,
        sum(total_conversions) as conversions,
        sum(total_revenue) as revenue
    from {{ ref('mart_channel_attribution') }}
    group by attribution_model
)

select
    rollup.attribution_model,
    rollup.conversions,
    orders.conversions as expected_conversions,
    rollup.revenue,
    orders.revenue as expected_revenue
from rollup
cross join orders
where
    rollup.conversions is null
    or rollup.revenue is null
    or orders.revenue is null
    or abs(rollup.conversions - orders.conversions) > 0.01
    or abs(rollup.revenue - orders.revenue) > 0.01 * (select count(*) from {{ ref('mart_channel_attribution') }})
