{#-
    fct_customer_daily_snapshot states a customer at the end of each day, with
    the same lifecycle macro as slv_customer_states. When as_of is a midnight,
    the row of the day before as_of must give the same stage as
    slv_customer_states. Rows returned = disagreements (none checked when as_of
    has a time of day).
-#}
{%- set as_of = var('as_of') | string -%}
{%- set midnight = as_of != '' and (as_of | length == 10 or as_of[11:19] == '00:00:00') %}

select
    daily.customer360_id,
    daily.lifecycle_stage as daily_stage,
    states.lifecycle_stage as current_stage
from {{ ref('fct_customer_daily_snapshot') }} as daily
inner join {{ ref('slv_customer_states') }} as states on daily.customer360_id = states.customer360_id
where
    daily.snapshot_date = cast({{ dbt.dateadd('day', -1, as_of_date()) }} as date)
    and daily.lifecycle_stage <> states.lifecycle_stage
    {%- if not midnight %}
    and 1 = 0
    {%- endif %}
