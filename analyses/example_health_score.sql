-- Customer health histogram: customers per 10-point bucket of dim_customer.health_score (all lifecycle stages),
-- their share, and the mean of each component, from mart_customer_health_distribution (bucket x stage rows).
with

distribution as (
    select * from {{ ref('mart_customer_health_distribution') }}
)

select
    health_bucket,
    health_bucket_floor,
    sum(customers) as customers,
    sum(share_of_customers) as share_of_customers,
    round(sum(avg_health_score * customers) / sum(customers), 2) as avg_health_score,
    round(sum(avg_usage_score * customers) / sum(customers), 3) as avg_usage_score,
    round(
        sum(coalesce(avg_payment_score, 0) * customers_with_payments) / nullif(sum(customers_with_payments), 0), 3
    ) as avg_payment_score,
    round(sum(avg_support_score * customers) / sum(customers), 3) as avg_support_score
from distribution
group by health_bucket, health_bucket_floor
order by health_bucket_floor
