-- Lifecycle transitions of the last 12 months by from -> to stage and cause, with the median time spent in the stage left.
select
    coalesce(from_stage, '(entry)') as from_stage,
    to_stage,
    change_trigger,
    count(*) as transitions,
    count(distinct customer360_id) as customers,
    percentile_cont(0.5) within group (order by days_in_from_stage) as median_days_in_from_stage
from {{ ref('fct_lifecycle_transitions') }}
where transitioned_at > {{ dbt.dateadd('month', -12, as_of_timestamp()) }}
group by coalesce(from_stage, '(entry)'), to_stage, change_trigger
order by transitions desc
