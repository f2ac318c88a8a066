{#-
    First documented versions of the Customer 360 scores (formulas also in the
    YAML; the marketing issue refines them). Inputs from slv_customer_activity,
    all relative to as_of:
      R = days since the last completed order (null: never ordered)
      S = days since last seen (null: never seen -> 365)
    churn_risk_score (0-1, null for customers who never ordered)
        = 0.7 x min(R, 365) / 365 + 0.3 x min(S, 365) / 365
    engagement_score (0-100)
        = 40 x (1 - min(S, 365) / 365) + 30 x min(sessions last 90 days, 10) / 10
        + 15 x min(e-mail opens/clicks and push opens last 90 days, 10) / 10
        + 15 x min(completed orders last 365 days, 5) / 5
    propensity_to_buy_score (0-1, next 30 days)
        = 0.05 + 0.30 x (1 - min(R, 365) / 365, 0 if never ordered)
        + 0.25 x min(orders last 365 days, 6) / 6 + 0.25 x min(cart events last 30 days, 3) / 3
        + 0.15 x engagement_score / 100
    lifetime_value = revenue to date + predicted next 12 months, where
        predicted = average order value x orders last 365 days x (1 - churn_risk_score)
-#}

with

activity as (
    select
        customer360_id,
        orders_count,
        total_revenue,
        orders_last_365d,
        sessions_last_90d,
        message_engagements_last_90d,
        cart_events_last_30d,
        {{ dbt.datediff('last_purchase_at', as_of_timestamp(), 'day') }} as days_since_last_purchase,
        coalesce({{ dbt.datediff('last_seen_at', as_of_timestamp(), 'day') }}, 365) as days_since_last_seen
    from {{ ref('slv_customer_activity') }}
),

factors as (
    select
        *,
        least(days_since_last_purchase, 365) / 365.0 as purchase_recency,
        least(greatest(days_since_last_seen, 0), 365) / 365.0 as seen_recency
    from activity
),

engagement as (
    select
        *,
        40 * (1 - seen_recency)
        + 30 * least(sessions_last_90d, 10) / 10.0
        + 15 * least(message_engagements_last_90d, 10) / 10.0
        + 15 * least(orders_last_365d, 5) / 5.0 as engagement_raw,
        0.7 * purchase_recency + 0.3 * seen_recency as churn_raw
    from factors
),

final as (
    select
        customer360_id,
        cast(round(churn_raw, 4) as {{ dbt.type_numeric() }}) as churn_risk_score,
        cast(round(engagement_raw, 2) as {{ dbt.type_numeric() }}) as engagement_score,
        cast(
            round(
                0.05
                + 0.30 * coalesce(1 - purchase_recency, 0)
                + 0.25 * least(orders_last_365d, 6) / 6.0
                + 0.25 * least(cart_events_last_30d, 3) / 3.0
                + 0.15 * engagement_raw / 100.0,
                4
            ) as {{ dbt.type_numeric() }}
        ) as propensity_to_buy_score,
        cast(
            round(
                total_revenue
                + case
                    when orders_count > 0
                        then total_revenue / orders_count * orders_last_365d * (1 - coalesce(churn_raw, 1))
                    else 0
                end,
                2
            ) as {{ dbt.type_numeric() }}
        ) as lifetime_value
    from engagement
)

select * from final
