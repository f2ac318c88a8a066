{#-
    Monthly cohort retention (spec 002, mart_customer_cohorts): customers grouped by
    the month of their first completed order, one row per cohort month and month
    since first purchase, from 0 to the month holding as_of (no future months;
    the last one is incomplete unless as_of is a month end). Macro
    cohort_retention over the completed orders of slv_customer_orders (up to
    as_of, inside the retention window): cohort size, active customers,
    retention, revenue and its cumulative value per customer (LTV progression),
    retention stage, cohort quality.
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

cohorts as (
    {{ cohort_retention('completed_orders', 'customer360_id', 'ordered_at', 'order_value', period='month') }}
),

final as (
    select
        cast(cohort_start as date) as cohort_month,
        cast(period_number as integer) as months_since_first_purchase,
        cast(period_start as date) as activity_month,
        cast(is_complete_period as boolean) as is_complete_month,
        cast(cohort_size as integer) as cohort_size,
        cast(active_customers as integer) as active_customers,
        cast(retention_rate as numeric(7, 6)) as retention_rate,
        cast(revenue as numeric(18, 2)) as cohort_revenue,
        cast(revenue / cohort_size as numeric(18, 2)) as revenue_per_customer,
        cast(cumulative_revenue as numeric(18, 2)) as cumulative_revenue,
        cast(cumulative_revenue_per_customer as numeric(18, 2)) as cumulative_revenue_per_customer,
        cast(retention_stage as varchar) as retention_stage,
        cast(cohort_quality_index as numeric(9, 4)) as cohort_quality_index,
        cast(cohort_quality as varchar) as cohort_quality
    from cohorts
)

select * from final
