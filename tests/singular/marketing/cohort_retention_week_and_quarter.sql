{{ config(tags=['marketing', 'cohorts']) }}
{#-
    The cohort macro's other grains on the real completed orders: weekly (ISO weeks) and quarterly cohorts
    must hold every customer once (sizes sum to the customers of the monthly matrix), retain 100 % in period 0,
    end at the period holding as_of, start on a Monday (weeks) or a quarter's first day, and the quarterly
    cohort sizes must equal the monthly ones summed per quarter. Rows returned = violations, with a reason.
-#}

with

completed_orders as (
    select
        customer360_id,
        ordered_at,
        order_value
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

weekly as (
    {{ cohort_retention('completed_orders', 'customer360_id', 'ordered_at', 'order_value', period='week') }}
),

quarterly as (
    {{ cohort_retention('completed_orders', 'customer360_id', 'ordered_at', 'order_value', period='quarter') }}
),

monthly as (
    select
        cohort_month,
        cohort_size
    from {{ ref('mart_customer_cohorts') }}
    where months_since_first_purchase = 0
),

week_totals as (
    select sum(cohort_size) as customers
    from weekly
    where period_number = 0
),

month_totals as (
    select sum(cohort_size) as customers
    from monthly
),

quarter_cohorts as (
    select
        cohort_start,
        cohort_size
    from quarterly
    where period_number = 0
),

month_cohorts as (
    select
        cast({{ dbt.date_trunc('quarter', 'cohort_month') }} as date) as cohort_quarter,
        sum(cohort_size) as cohort_size
    from monthly
    group by cast({{ dbt.date_trunc('quarter', 'cohort_month') }} as date)
),

checks as (
    select
        'week: period 0 retention is not 1' as reason,
        count(*) as failures
    from weekly
    where period_number = 0 and retention_rate <> 1
    union all
    select
        'quarter: period 0 retention is not 1' as reason,
        count(*) as failures
    from quarterly
    where period_number = 0 and retention_rate <> 1
    union all
    select
        'week: cohort sizes do not add up to the customers' as reason,
        abs(week_totals.customers - month_totals.customers) as failures
    from week_totals
    cross join month_totals
    union all
    select
        'week: cohort does not start on a Monday' as reason,
        count(*) as failures
    from weekly
    -- 2024-01-01 was a Monday
    where
        period_number = 0
        and mod({{ dbt.datediff("cast('2024-01-01' as date)", 'cohort_start', 'day') }}, 7) <> 0
    union all
    select
        'week: last period is not the week holding as_of' as reason,
        count(*) as failures
    from (
        select
            cohort_start,
            max(period_start) as last_period_start
        from weekly
        group by cohort_start
    ) as last_periods
    where last_period_start <> cast({{ dbt.date_trunc('week', as_of_timestamp()) }} as date)
    union all
    select
        'quarter: last period is not the quarter holding as_of' as reason,
        count(*) as failures
    from (
        select
            cohort_start,
            max(period_start) as last_period_start
        from quarterly
        group by cohort_start
    ) as last_periods
    where last_period_start <> cast({{ dbt.date_trunc('quarter', as_of_timestamp()) }} as date)
    union all
    select
        'quarter: cohort size differs from its three monthly cohorts' as reason,
        count(*) as failures
    from quarter_cohorts
    full outer join month_cohorts
        on quarter_cohorts.cohort_start = month_cohorts.cohort_quarter
    where
        quarter_cohorts.cohort_start is null
        or month_cohorts.cohort_quarter is null
        or quarter_cohorts.cohort_size <> month_cohorts.cohort_size
)

select *
from checks
where failures <> 0
