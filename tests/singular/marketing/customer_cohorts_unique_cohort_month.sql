{{ config(tags=['marketing', 'cohorts']) }}
{#- mart_customer_cohorts has one row per (cohort_month, months_since_first_purchase). Rows returned = duplicates. -#}

select
    cohort_month,
    months_since_first_purchase,
    count(*) as row_count
from {{ ref('mart_customer_cohorts') }}
group by cohort_month, months_since_first_purchase
having count(*) > 1
