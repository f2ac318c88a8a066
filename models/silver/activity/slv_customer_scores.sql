{#-
    The Customer 360 scores, one row per customer of slv_customer_activity,
    relative to as_of. Formulas live in macros/customer/customer_scores.sql
    (documented there and in the YAML): churn risk from how overdue the next
    order is against the customer's own purchase cadence and the decline of
    their order frequency year over year; engagement; propensity to buy in the
    next 30 days from purchase timing, cart intent and engagement; lifetime
    value = revenue to date + expected value of the next 12 months.
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
        {{ dbt.datediff('last_seen_at', as_of_timestamp(), 'day') }} as days_since_last_seen
    from {{ ref('slv_customer_activity') }}
),

cadence as (
    select
        customer360_id,
        avg(days_since_previous_order) as average_gap_days,
        count(
            case
                when
                    ordered_at <= {{ dbt.dateadd('day', -365, as_of_timestamp()) }}
                    and ordered_at > {{ dbt.dateadd('day', -730, as_of_timestamp()) }}
                    then 1
            end
        ) as orders_previous_365d
    from {{ ref('slv_customer_orders') }}
    where is_completed
    group by customer360_id
),

inputs as (
    select
        activity.*,
        coalesce(cadence.orders_previous_365d, 0) as orders_previous_365d,
        greatest(coalesce(cadence.average_gap_days, {{ var('score_default_purchase_gap_days') }}), 7)
            as purchase_gap_days
    from activity
    left join cadence on activity.customer360_id = cadence.customer360_id
),

churn as (
    select
        *,
        {{ churn_risk_score('days_since_last_purchase', 'purchase_gap_days', 'orders_last_365d',
            'orders_previous_365d') }} as churn_raw,
        {{ engagement_score('days_since_last_seen', 'sessions_last_90d', 'message_engagements_last_90d',
            'orders_last_365d') }} as engagement_raw
    from inputs
),

final as (
    select
        customer360_id,
        cast(round(purchase_gap_days, 1) as {{ dbt.type_numeric() }}) as purchase_gap_days,
        cast(round(churn_raw, 4) as {{ dbt.type_numeric() }}) as churn_risk_score,
        cast(round(engagement_raw, 2) as {{ dbt.type_numeric() }}) as engagement_score,
        cast(
            round(
                {{ propensity_to_buy_score('days_since_last_purchase', 'purchase_gap_days', 'churn_raw',
                    'cart_events_last_30d', 'engagement_raw') }},
                4
            ) as {{ dbt.type_numeric() }}
        ) as propensity_to_buy_score,
        cast(
            round({{ lifetime_value('total_revenue', 'orders_count', 'purchase_gap_days', 'churn_raw') }}, 2)
            as {{ dbt.type_numeric() }}
        ) as lifetime_value
    from churn
)

select * from final
