{{ config(tags=['marketing', 'journeys']) }}
-- Every completed order is exactly one conversion journey, every customer with touches but no completed order
-- exactly one open journey, and mart_journey_paths adds up to fct_customer_journeys (journeys, conversions,
-- revenue). Returns the figures that disagree.

with

orders as (
    select
        count(*) as completed_orders,
        sum(order_value) as revenue
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

open_customers as (
    select count(distinct touchpoints.customer360_id) as customers
    from {{ ref('fct_touchpoints') }} as touchpoints
    left join {{ ref('slv_customer_orders') }} as orders
        on touchpoints.customer360_id = orders.customer360_id and orders.is_completed
    where orders.order_id is null
),

journeys as (
    select
        count(*) as journeys,
        sum(case when is_converted then 1 else 0 end) as conversions,
        sum(case when is_converted then 0 else 1 end) as open_journeys,
        coalesce(sum(revenue), 0) as revenue
    from {{ ref('fct_customer_journeys') }}
),

path_totals as (
    select
        sum(journeys) as journeys,
        sum(conversions) as conversions,
        sum(revenue) as revenue
    from {{ ref('mart_journey_paths') }}
),

comparisons as (
    select
        'conversions = completed orders' as check_name,
        journeys.conversions as actual,
        orders.completed_orders as expected
    from journeys
    cross join orders
    union all
    select
        'open journeys = touched customers without an order' as check_name,
        journeys.open_journeys as actual,
        open_customers.customers as expected
    from journeys
    cross join open_customers
    union all
    select
        'journey revenue = completed order value' as check_name,
        journeys.revenue as actual,
        orders.revenue as expected
    from journeys
    cross join orders
    union all
    select
        'paths: journeys' as check_name,
        path_totals.journeys as actual,
        journeys.journeys as expected
    from path_totals
    cross join journeys
    union all
    select
        'paths: conversions' as check_name,
        path_totals.conversions as actual,
        journeys.conversions as expected
    from path_totals
    cross join journeys
    union all
    select
        'paths: revenue' as check_name,
        path_totals.revenue as actual,
        journeys.revenue as expected
    from path_totals
    cross join journeys
)

select *
from comparisons
where actual is null or expected is null or abs(actual - expected) > 0.005
