{#-
    Distribution of the customer health score (slv_customer_health) over the
    served customers (slv_served_customers, the population of dim_customer):
    one row per 10-point score bucket and lifecycle stage that holds at least
    one customer, with the customers, their share of all served customers and
    of the stage, and the mean score and mean of each component (the payments
    mean over the customers who have payments; how many do is given).
    Bucket: floor(score / 10) x 10, a score of 100 in the 90-100 bucket.
-#}

with

health as (
    select
        customer360_id,
        health_score,
        usage_score,
        payment_score,
        support_score,
        cast(least(floor(health_score / 10) * 10, 90) as {{ dbt.type_int() }}) as health_bucket_floor
    from {{ ref('slv_customer_health') }}
),

customers as (
    select
        customer360_id,
        lifecycle_stage
    from {{ ref('slv_served_customers') }}
),

scored as (
    select
        health.*,
        customers.lifecycle_stage
    from health
    inner join customers on health.customer360_id = customers.customer360_id
),

grouped as (
    select
        health_bucket_floor,
        lifecycle_stage,
        count(*) as customers,
        count(payment_score) as customers_with_payments,
        avg(health_score) as avg_health_score,
        avg(usage_score) as avg_usage_score,
        avg(payment_score) as avg_payment_score,
        avg(support_score) as avg_support_score
    from scored
    group by health_bucket_floor, lifecycle_stage
),

final as (
    select
        cast(
            {{ dbt.concat(["cast(health_bucket_floor as " ~ dbt.type_string() ~ ")", "'-'",
                "cast(health_bucket_floor + 10 as " ~ dbt.type_string() ~ ")", "':'", "lifecycle_stage"]) }}
            as varchar
        ) as distribution_key,
        cast(
            {{ dbt.concat(["cast(health_bucket_floor as " ~ dbt.type_string() ~ ")", "'-'",
                "cast(health_bucket_floor + 10 as " ~ dbt.type_string() ~ ")"]) }}
            as varchar
        ) as health_bucket,
        cast(health_bucket_floor as integer) as health_bucket_floor,
        cast(lifecycle_stage as varchar) as lifecycle_stage,
        cast(customers as bigint) as customers,
        cast({{ safe_divide('customers', 'sum(customers) over ()') }} as numeric(7, 6)) as share_of_customers,
        cast(
            {{ safe_divide('customers', 'sum(customers) over (partition by lifecycle_stage)') }} as numeric(7, 6)
        ) as share_of_stage,
        cast(customers_with_payments as bigint) as customers_with_payments,
        cast(avg_health_score as numeric(5, 2)) as avg_health_score,
        cast(avg_usage_score as numeric(7, 6)) as avg_usage_score,
        cast(avg_payment_score as numeric(7, 6)) as avg_payment_score,
        cast(avg_support_score as numeric(7, 6)) as avg_support_score
    from grouped
)

select * from final
