-- Spec 002, "Cohort Retention Analysis": the monthly retention matrix from January 2024 on (gold mart_customer_cohorts;
-- cohort_revenue is the cohort's revenue in that month, cohort_quality compares month-3 retention with all cohorts).
select
    cohort_month,
    months_since_first_purchase,
    retention_rate,
    cohort_revenue,
    cohort_quality
from {{ ref('mart_customer_cohorts') }}
where cohort_month >= cast('2024-01-01' as date)
order by cohort_month, months_since_first_purchase
