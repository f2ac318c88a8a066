{#-
    Cohort retention matrix: customers grouped by the period of their first activity, followed period by period.

    cohort_retention(relation, customer_column, activity_at_column, revenue_column, period, where, as_of, max_periods)
      relation            a relation or CTE name with one row per activity (e.g. completed orders)
      customer_column     the customer key (default customer360_id)
      activity_at_column  the activity's time; activity after as_of is ignored
      revenue_column      the activity's revenue (null counts as 0)
      period              'month' (default), 'week' (ISO weeks, Monday) or 'quarter'
      where               optional SQL condition selecting the activity that counts
      as_of               SQL expression of the reference time (default as_of_timestamp())
      max_periods         most periods after the cohort's first that can occur (default: the retention window,
                          var dq_retention_years, in periods); a singular test checks no period was cut off
    Output (a select, usable as a CTE body), one row per cohort x period_number, from 0 up to the period
    holding as_of (no future periods; the last one may be incomplete, see is_complete_period):

      cohort_start                     first day of the cohort's period (the customer's first activity)
      period_number                    periods since cohort_start (0 = the cohort's own period)
      period_start                     first day of that period
      is_complete_period               the period ended on or before as_of
      months_since_cohort_start        calendar months from cohort_start to period_start (dbt.datediff)
      cohort_size                      customers in the cohort
      active_customers                 cohort customers with activity in the period (period 0: all)
      retention_rate                   active_customers / cohort_size, in [0, 1]; 1 in period 0
      revenue                          the cohort's revenue in the period
      cumulative_revenue               revenue of periods 0..period_number
      cumulative_revenue_per_customer  cumulative_revenue / cohort_size (LTV progression)
      retention_stage                  stage of var cohort_retention_stages by months_since_cohort_start
                                       (Acquisition 0, Activation 1-3, Retention 4-6, Revenue 7-12,
                                       Referral 13+: month 12 is Revenue)
      cohort_quality_index             the cohort's retention in period var cohort_quality_period (3) divided
                                       by the pooled retention of every cohort that completed that period
                                       (sum of their active customers / sum of their sizes); null while the
                                       period is not complete or when the pooled retention is 0
      cohort_quality                   High (index >= 1 + var cohort_quality_band), Low (index <= 1 - band),
                                       Average otherwise (also when the pooled retention is 0), Immature while
                                       period cohort_quality_period is not complete
-#}
{% macro cohort_retention(relation, customer_column='customer360_id', activity_at_column='activity_at',
                          revenue_column='revenue', period='month', where=none, as_of=none, max_periods=none) -%}
    {%- set periods_per_year = {'week': 53, 'month': 12, 'quarter': 4} -%}
    {%- if period not in periods_per_year -%}
        {{ exceptions.raise_compiler_error("cohort_retention: period must be week, month or quarter, got '" ~ period ~ "'") }}
    {%- endif -%}
    {%- set as_of = as_of if as_of is not none else as_of_timestamp() -%}
    {%- set max_periods = max_periods if max_periods is not none
        else periods_per_year[period] * var('dq_retention_years') + 1 -%}
    {%- set band = var('cohort_quality_band') -%}
    {%- set quality_period = var('cohort_quality_period') -%}
    {%- set as_of_period = 'cast(' ~ dbt.date_trunc(period, as_of) ~ ' as date)' -%}
    with

    cohort_activity as (
        select
            {{ customer_column }} as cohort_customer_id,
            cast({{ dbt.date_trunc(period, activity_at_column) }} as date) as activity_period,
            coalesce({{ revenue_column }}, 0) as activity_revenue
        from {{ relation }}
        where
            {{ activity_at_column }} <= {{ as_of }}
            and {{ customer_column }} is not null
            {%- if where %}
            and ({{ where }})
            {%- endif %}
    ),

    cohort_members as (
        select
            cohort_customer_id,
            min(activity_period) as cohort_start
        from cohort_activity
        group by cohort_customer_id
    ),

    cohort_sizes as (
        select
            cohort_start,
            count(*) as cohort_size
        from cohort_members
        group by cohort_start
    ),

    cohort_member_periods as (
        select
            cohort_members.cohort_start,
            cohort_activity.cohort_customer_id,
            {{ dbt.datediff('cohort_members.cohort_start', 'cohort_activity.activity_period', period) }} as period_number,
            sum(cohort_activity.activity_revenue) as member_revenue
        from cohort_activity
        inner join cohort_members on cohort_activity.cohort_customer_id = cohort_members.cohort_customer_id
        group by
            cohort_members.cohort_start,
            cohort_activity.cohort_customer_id,
            {{ dbt.datediff('cohort_members.cohort_start', 'cohort_activity.activity_period', period) }}
    ),

    cohort_period_activity as (
        select
            cohort_start,
            period_number,
            count(*) as active_customers,
            sum(member_revenue) as revenue
        from cohort_member_periods
        group by cohort_start, period_number
    ),

    cohort_period_numbers as (
        select generated_number - 1 as period_number
        from ({{ dbt.generate_series(max_periods + 1) }}) as series
    ),

    cohort_grid as (
        select
            cohort_sizes.cohort_start,
            cohort_sizes.cohort_size,
            cohort_period_numbers.period_number,
            {{ cohort_period_start('cohort_sizes.cohort_start', 'cohort_period_numbers.period_number', period) }}
                as period_start,
            {{ cohort_period_start('cohort_sizes.cohort_start', 'cohort_period_numbers.period_number + 1', period) }}
                as next_period_start
        from cohort_sizes
        cross join cohort_period_numbers
        where cohort_period_numbers.period_number <= {{ dbt.datediff('cohort_sizes.cohort_start', as_of_period, period) }}
    ),

    cohort_measured as (
        select
            cohort_grid.cohort_start,
            cohort_grid.period_number,
            cohort_grid.period_start,
            cohort_grid.next_period_start <= {{ as_of }} as is_complete_period,
            {{ dbt.datediff('cohort_grid.cohort_start', 'cohort_grid.period_start', 'month') }} as months_since_cohort_start,
            cohort_grid.cohort_size,
            coalesce(cohort_period_activity.active_customers, 0) as active_customers,
            coalesce(cohort_period_activity.revenue, 0) as revenue
        from cohort_grid
        left join cohort_period_activity
            on
                cohort_grid.cohort_start = cohort_period_activity.cohort_start
                and cohort_grid.period_number = cohort_period_activity.period_number
    ),

    cohort_quality_base as (
        select
            cohort_start,
            max(
                case
                    when period_number = {{ quality_period }} and is_complete_period
                        then {{ safe_divide('active_customers', 'cohort_size') }}
                end
            ) as quality_retention
        from cohort_measured
        group by cohort_start
    ),

    cohort_quality_benchmark as (
        select {{ safe_divide('sum(active_customers)', 'sum(cohort_size)') }} as pooled_retention
        from cohort_measured
        where period_number = {{ quality_period }} and is_complete_period
    ),

    cohort_quality_scored as (
        select
            cohort_quality_base.cohort_start,
            {{ safe_divide('cohort_quality_base.quality_retention', 'cohort_quality_benchmark.pooled_retention') }}
                as cohort_quality_index,
            case
                when cohort_quality_base.quality_retention is null then 'Immature'
                when coalesce(cohort_quality_benchmark.pooled_retention, 0) = 0 then 'Average'
                when
                    cohort_quality_base.quality_retention
                    >= {{ 1 + band }} * cohort_quality_benchmark.pooled_retention
                    then 'High'
                when
                    cohort_quality_base.quality_retention
                    <= {{ 1 - band }} * cohort_quality_benchmark.pooled_retention
                    then 'Low'
                else 'Average'
            end as cohort_quality
        from cohort_quality_base
        cross join cohort_quality_benchmark
    )

    select
        cohort_measured.cohort_start,
        cohort_measured.period_number,
        cohort_measured.period_start,
        cohort_measured.is_complete_period,
        cohort_measured.months_since_cohort_start,
        cohort_measured.cohort_size,
        cohort_measured.active_customers,
        {{ safe_divide('cohort_measured.active_customers', 'cohort_measured.cohort_size') }} as retention_rate,
        cohort_measured.revenue,
        sum(cohort_measured.revenue) over (
            partition by cohort_measured.cohort_start order by cohort_measured.period_number
            rows between unbounded preceding and current row
        ) as cumulative_revenue,
        {{ safe_divide(
            'sum(cohort_measured.revenue) over (partition by cohort_measured.cohort_start '
            ~ 'order by cohort_measured.period_number rows between unbounded preceding and current row)',
            'cohort_measured.cohort_size') }} as cumulative_revenue_per_customer,
        {{ cohort_retention_stage('cohort_measured.months_since_cohort_start') }} as retention_stage,
        cohort_quality_scored.cohort_quality_index,
        cohort_quality_scored.cohort_quality
    from cohort_measured
    inner join cohort_quality_scored on cohort_measured.cohort_start = cohort_quality_scored.cohort_start
{%- endmacro %}

{#- First day of the period `offset` periods after `start` (a period start), as a date; quarters as 3 months. -#}
{% macro cohort_period_start(start, offset, period) -%}
    {%- if period == 'quarter' -%}
        cast({{ dbt.dateadd('month', '3 * (' ~ offset ~ ')', start) }} as date)
    {%- else -%}
        cast({{ dbt.dateadd(period, offset, start) }} as date)
    {%- endif -%}
{%- endmacro %}

{#-
    Retention stage of a number of months since the cohort's start (SQL expression), from var
    cohort_retention_stages: [{stage, max_months}, ...] in order, max_months inclusive, the last one
    without a bound. Defaults: Acquisition 0, Activation 1-3, Retention 4-6, Revenue 7-12, Referral 13+.
-#}
{% macro cohort_retention_stage(months) -%}
    {%- set stages = var('cohort_retention_stages') -%}
    case
        {%- for stage in stages %}
        {%- if stage.max_months is not none %}
        when {{ months }} <= {{ stage.max_months }} then '{{ stage.stage }}'
        {%- else %}
        else '{{ stage.stage }}'
        {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}
