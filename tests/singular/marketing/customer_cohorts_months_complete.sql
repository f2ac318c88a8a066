{{ config(tags=['marketing', 'cohorts']) }}
{#-
    Every cohort has exactly the months 0 .. (month of as_of - cohort_month): none missing, none in the
    future, none cut off by the macro's max_periods. Rows returned = cohorts whose months are not that range.
-#}

with

expected as (
    select
        cohort_month,
        {{ dbt.datediff('cohort_month', dbt.date_trunc('month', as_of_timestamp()), 'month') }} as last_month,
        count(*) as months,
        min(months_since_first_purchase) as first_month_number,
        max(months_since_first_purchase) as last_month_number
    from {{ ref('mart_customer_cohorts') }}
    group by cohort_month
)

select *
from expected
where
    first_month_number <> 0
    or last_month_number <> last_month
    or months <> last_month + 1
