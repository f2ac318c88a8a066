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
    where not exists (
        select 1
        from {{ ref('slv_customer_orders') }} as orders
        where orders.customer360_id = touchpoints.customer360_id and orders.is_completed
    )
),

journeys as (
    select
        count(*) as journeys,
        sum(case when is_converted then 1 else 0 end) as conversions,
        sum(case when is_converted then 0 else 1 end) as open_journeys,
        coalesce(sum(revenue), 0) as revenue
    from {{ ref('fct_customer_journeys') }}
),

paths as (
    select
        sum(journeys) as journeys,
        sum(conversions) as conversions,
        sum(revenue) as revenue
    from {{ ref('mart_journey_paths') }}
),

checks as (
    select 'conversions = completed orders' as check_name, journeys.conversions as actual, orders.completed_orders as expected
    from journeys cross join orders
    union all
    select 'open journeys = touched customers without an order', journeys.open_journeys, open_customers.customers
    from journeys cross join open_customers
    union all
    select 'journey revenue = completed order value', journeys.revenue, orders.revenue
    from journeys cross join orders
    union all
    select 'paths: journeys', paths.journeys, journeys.journeys
    from paths cross join journeys
    union all
    select 'paths: conversions', paths.conversions, journeys.conversions
    from paths cross join journeys
    union all
    select 'paths: revenue', paths.revenue, journeys.revenue
    from paths cross join journeys
)

select *
from checks
where actual is null or expected is null or abs(actual - expected) > 0.005
