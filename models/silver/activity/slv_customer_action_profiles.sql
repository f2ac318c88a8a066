{#-
    What the next best action (gold fct_next_best_action) needs to know of each
    served customer (slv_served_customers), one row per customer360_id: the
    attributes its rules match on (primary segment, lifecycle stage, health
    band) and the two propensities and the value it weighs actions by.

    propensity_to_buy   slv_customer_scores.propensity_to_buy_score (0-1)
    churn_risk          slv_customer_scores.churn_risk_score (0-1); 0 for a
                        customer who never ordered (a prospect cannot churn)
    expected_order_value the customer's average completed order value
                        (total revenue / completed orders, reporting currency);
                        without a completed order the average value of all
                        completed orders of all customers
-#}

with

customers as (
    select
        customer360_id,
        primary_segment,
        lifecycle_stage
    from {{ ref('slv_served_customers') }}
),

health as (
    select
        customer360_id,
        health_score,
        health_band
    from {{ ref('slv_customer_health') }}
),

scores as (
    select
        customer360_id,
        propensity_to_buy_score,
        churn_risk_score
    from {{ ref('slv_customer_scores') }}
),

activity as (
    select
        customer360_id,
        orders_count,
        total_revenue
    from {{ ref('slv_customer_activity') }}
),

population as (
    select {{ safe_divide('sum(total_revenue)', 'sum(orders_count)') }} as average_order_value
    from activity
),

final as (
    select
        customers.customer360_id,
        customers.primary_segment,
        customers.lifecycle_stage,
        health.health_score,
        health.health_band,
        coalesce(scores.propensity_to_buy_score, 0) as propensity_to_buy,
        coalesce(scores.churn_risk_score, 0) as churn_risk,
        cast(
            coalesce({{ safe_divide('activity.total_revenue', 'activity.orders_count') }}, population.average_order_value, 0)
            as {{ dbt.type_numeric() }}
        ) as expected_order_value,
        activity.orders_count > 0 as has_ordered
    from customers
    inner join health on customers.customer360_id = health.customer360_id
    inner join activity on customers.customer360_id = activity.customer360_id
    left join scores on customers.customer360_id = scores.customer360_id
    cross join population
)

select * from final
