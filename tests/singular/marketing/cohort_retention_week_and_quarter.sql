{{ config(tags=['marketing', 'cohorts']) }}
{#-
    The cohort macro's other grains (mart_customer_cohorts uses only months) on hand-made activity rows, against
    expected rows computed by hand. as_of is pinned in the call (Wednesday 2026-01-21 12:00), so the result does
    not depend on the run's as_of. Rows returned = expected rows missing or different, and unexpected rows.

    Activity (customer, time, revenue); ISO weeks start on Monday: 2025-12-29, 2026-01-05, 01-12, 01-19.
      a  2025-12-31 10:00  10    week 2025-12-29, quarter 2025-10-01
      a  2026-01-13 09:00   5    week 2026-01-12, quarter 2026-01-01
      b  2026-01-04 23:00  20    a Sunday: week 2025-12-29 (across the new year), quarter 2026-01-01
      b  2026-01-05 00:30   7    a Monday: week 2026-01-05
      c  2026-01-12 09:00  30    week 2026-01-12
      c  2026-01-20 08:00  null  week 2026-01-19: active, revenue counts as 0
      d  2026-01-22 10:00  99    after as_of: ignored, so there is no cohort for d
    Weekly cohorts: 2025-12-29 = {a, b}, 2026-01-12 = {c}; periods up to the week holding as_of (2026-01-19).
      2025-12-29  p0 active a, b  revenue 10 + 20 = 30   cumulative 30  complete (next week 01-05 <= as_of)
                  p1 active b     7                      37             complete
                  p2 active a     5                      42             complete (next week 01-19 <= as_of)
                  p3 nobody       0                      42             incomplete (01-26 > as_of)
      2026-01-12  p0 active c     30                     30             complete
                  p1 active c     0 (null revenue)       30             incomplete
      months since the cohort start: calendar months from 2025-12-29 to the period start, 1 from January on;
      stages: 0 Acquisition, 1 Activation.
    Quarterly cohorts: 2025-10-01 = {a}, 2026-01-01 = {b, c}.
      2025-10-01  p0 active a     10                     10             complete (2026-01-01 <= as_of)
                  p1 active a     5                      15             incomplete; 3 months: Activation
      2026-01-01  p0 active b, c  20 + 7 + 30 = 57       57             incomplete
-#}
{%- set as_of = "cast('2026-01-21 12:00:00' as " ~ dbt.type_timestamp() ~ ")" %}
{%- set activity = [
    ('a', '2025-12-31 10:00:00', 10), ('a', '2026-01-13 09:00:00', 5), ('b', '2026-01-04 23:00:00', 20),
    ('b', '2026-01-05 00:30:00', 7), ('c', '2026-01-12 09:00:00', 30), ('c', '2026-01-20 08:00:00', none),
    ('d', '2026-01-22 10:00:00', 99),
] %}
{#- grain, cohort_start, period_number, period_start, complete, months, size, active, revenue, cumulative, stage -#}
{%- set expected = [
    ('week', '2025-12-29', 0, '2025-12-29', true, 0, 2, 2, 30, 30, 'Acquisition'),
    ('week', '2025-12-29', 1, '2026-01-05', true, 1, 2, 1, 7, 37, 'Activation'),
    ('week', '2025-12-29', 2, '2026-01-12', true, 1, 2, 1, 5, 42, 'Activation'),
    ('week', '2025-12-29', 3, '2026-01-19', false, 1, 2, 0, 0, 42, 'Activation'),
    ('week', '2026-01-12', 0, '2026-01-12', true, 0, 1, 1, 30, 30, 'Acquisition'),
    ('week', '2026-01-12', 1, '2026-01-19', false, 0, 1, 1, 0, 30, 'Acquisition'),
    ('quarter', '2025-10-01', 0, '2025-10-01', true, 0, 1, 1, 10, 10, 'Acquisition'),
    ('quarter', '2025-10-01', 1, '2026-01-01', false, 3, 1, 1, 5, 15, 'Activation'),
    ('quarter', '2026-01-01', 0, '2026-01-01', false, 0, 2, 2, 57, 57, 'Acquisition'),
] %}

with

activity as (
    {%- for customer, at, revenue in activity %}
    select
        '{{ customer }}' as customer_id,
        cast('{{ at }}' as {{ dbt.type_timestamp() }}) as activity_at,
        cast({{ 'null' if revenue is none else revenue }} as {{ dbt.type_numeric() }}) as revenue
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{%- set grains = ['week', 'quarter'] %}
{%- for grain in grains %}
{{ grain }}_cohorts as (
    {{ cohort_retention('activity', 'customer_id', 'activity_at', 'revenue', period=grain, as_of=as_of,
        max_periods=10) }}
),
{% endfor %}

actual as (
    {%- for grain in grains %}
    select
        '{{ grain }}' as grain,
        cohort_start,
        period_number,
        period_start,
        is_complete_period,
        months_since_cohort_start,
        cohort_size,
        active_customers,
        revenue,
        cumulative_revenue,
        retention_stage
    from {{ grain }}_cohorts
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

expected as (
    {%- for row in expected %}
    select
        '{{ row[0] }}' as grain,
        cast('{{ row[1] }}' as date) as cohort_start,
        {{ row[2] }} as period_number,
        cast('{{ row[3] }}' as date) as period_start,
        {{ row[4] }} as is_complete_period,
        {{ row[5] }} as months_since_cohort_start,
        {{ row[6] }} as cohort_size,
        {{ row[7] }} as active_customers,
        {{ row[8] }} as revenue,
        {{ row[9] }} as cumulative_revenue,
        '{{ row[10] }}' as retention_stage
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    coalesce(expected.grain, actual.grain) as grain,
    coalesce(expected.cohort_start, actual.cohort_start) as cohort_start,
    coalesce(expected.period_number, actual.period_number) as period_number,
    case
        when actual.grain is null then 'expected row missing'
        when expected.grain is null then 'unexpected row'
        else 'values differ'
    end as reason
from expected
full outer join actual
    on
        expected.grain = actual.grain
        and expected.cohort_start = actual.cohort_start
        and expected.period_number = actual.period_number
where
    actual.grain is null
    or expected.grain is null
    or actual.period_start <> expected.period_start
    or actual.is_complete_period <> expected.is_complete_period
    or actual.months_since_cohort_start <> expected.months_since_cohort_start
    or actual.cohort_size <> expected.cohort_size
    or actual.active_customers <> expected.active_customers
    or abs(actual.revenue - expected.revenue) > 0.005
    or abs(actual.cumulative_revenue - expected.cumulative_revenue) > 0.005
    or actual.retention_stage <> expected.retention_stage
