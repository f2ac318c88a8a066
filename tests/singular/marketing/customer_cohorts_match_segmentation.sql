{{ config(tags=['marketing', 'cohorts', 'rfm']) }}
{#-
    mart_customer_cohorts and mart_customer_segmentation describe the same customers (a completed order up to as_of):
    per cohort month, the cohort size is the number of customers whose first order is in that month, and the
    cohort's cumulative revenue at the month of as_of is their total revenue. Rows returned = disagreements.
-#}

with

cohorts as (
    select
        cohort_month,
        max(cohort_size) as cohort_size,
        sum(cohort_revenue) as revenue
    from {{ ref('mart_customer_cohorts') }}
    group by cohort_month
),

segmentation as (
    select
        cast({{ dbt.date_trunc('month', 'first_order_at') }} as date) as cohort_month,
        count(*) as customers,
        sum(total_revenue) as revenue
    from {{ ref('mart_customer_segmentation') }}
    group by cast({{ dbt.date_trunc('month', 'first_order_at') }} as date)
)

select
    coalesce(cohorts.cohort_month, segmentation.cohort_month) as cohort_month,
    cohorts.cohort_size,
    segmentation.customers,
    cohorts.revenue as cohort_revenue,
    segmentation.revenue as segmentation_revenue
from cohorts
full outer join segmentation on cohorts.cohort_month = segmentation.cohort_month
where
    cohorts.cohort_month is null
    or segmentation.cohort_month is null
    or cohorts.cohort_size <> segmentation.customers
    -- both sides are sums of amounts rounded to cents: allow a cent per customer
    or abs(cohorts.revenue - segmentation.revenue) > 0.01 * segmentation.customers
