-- Funnel conversion per step, each funnel over all its split values (counts add up across splits; the
-- ratios are recomputed from the summed counts; conversion_from_previous is null on step 1). Add a split column
-- (platform, device_type, marketing_channel, utm_campaign, customer_segment) to the group by to compare splits.
with

steps as (
    select
        funnel_name,
        step_number,
        step_name,
        sum(entities) as entities
    from {{ ref('mart_funnel_steps') }}
    group by funnel_name, step_number, step_name
)

select
    funnel_name,
    step_number,
    step_name,
    entities,
    {{ safe_divide('entities', 'lag(entities) over (partition by funnel_name order by step_number)') }}
        as conversion_from_previous,
    {{ safe_divide('entities', 'first_value(entities) over (partition by funnel_name order by step_number)') }}
        as conversion_from_first
from steps
order by funnel_name, step_number
