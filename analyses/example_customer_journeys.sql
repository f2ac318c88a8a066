-- Customer journeys: the ten most followed touch paths with their conversions, conversion rate, mean time to
-- convert and revenue, and next to them how many customers are in each journey stage.
with

top_paths as (
    select
        path_rank,
        touch_path,
        journeys,
        conversions,
        conversion_rate,
        avg_days_to_convert,
        revenue
    from {{ ref('mart_journey_paths') }}
    where path_rank <= 10
),

stages as (
    select
        stage_order,
        journey_stage,
        count(*) as customers
    from {{ ref('fct_customer_journey_stage') }}
    group by stage_order, journey_stage
)

select
    top_paths.path_rank,
    top_paths.touch_path,
    top_paths.journeys,
    top_paths.conversions,
    top_paths.conversion_rate,
    top_paths.avg_days_to_convert,
    top_paths.revenue,
    stages.journey_stage,
    stages.customers as customers_in_stage
from top_paths
left join stages on top_paths.path_rank = stages.stage_order
order by top_paths.path_rank
