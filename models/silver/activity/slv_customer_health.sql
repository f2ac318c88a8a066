{#-
    The customer health score and its three components, one row per customer
    of slv_customer_activity, relative to as_of (formulas and the treatment of
    a missing component: macros/customer/customer_health.sql; weights, targets
    and penalties: vars health_*). The inputs are kept beside the components so
    the score can be recomputed and explained.

    usage     visits (web and app sessions), completed orders and distinct app
              features used (feature_used events) in the last
              var health_window_days, and the days since the latest visit or
              completed order
    payments  every payment of the customer's orders (slv_payments through
              slv_customer_orders, the order's customer360_id): successful
              (success or refunded) and failed, and the failures in the window
    support   support tickets and NPS answers of the customer
              (slv_customer_service_contacts) in the last
              var health_support_window_days: open tickets (unresolved at
              as_of), tickets with a CSAT of at most var health_low_csat_max, and
              whether the latest NPS answer is a detractor (0-6)
-#}

with

customers as (
    select customer360_id
    from {{ ref('slv_customer_activity') }}
),

events as (
    select
        customer360_id,
        event_at,
        event_type,
        session_id,
        feature_name
    from {{ ref('slv_customer_events') }}
    where event_at > {{ dbt.dateadd('day', -var('health_window_days'), as_of_timestamp()) }}
),

orders as (
    select
        order_id,
        customer360_id,
        ordered_at,
        is_completed
    from {{ ref('slv_customer_orders') }}
),

payments as (
    select
        payments.order_id,
        payments.status,
        payments.paid_at,
        orders.customer360_id
    from {{ ref('slv_payments') }} as payments
    inner join orders on payments.order_id = orders.order_id
),

contacts as (
    select
        customer360_id,
        contact_source,
        contact_key,
        contacted_at,
        resolved_at,
        csat_score,
        nps_group
    from {{ ref('slv_customer_service_contacts') }}
    where
        contact_source in ('support_ticket', 'nps_response')
        and contacted_at > {{ dbt.dateadd('day', -var('health_support_window_days'), as_of_timestamp()) }}
),

visit_stats as (
    select
        customer360_id,
        max(case when session_id is not null then event_at end) as last_visit_at,
        count(distinct session_id) as sessions_in_window,
        count(distinct case when event_type = 'feature_used' then feature_name end) as features_used_in_window
    from events
    group by customer360_id
),

order_stats as (
    select
        customer360_id,
        max(ordered_at) as last_order_at,
        count(
            case when ordered_at > {{ dbt.dateadd('day', -var('health_window_days'), as_of_timestamp()) }} then 1 end
        ) as orders_in_window
    from orders
    where is_completed
    group by customer360_id
),

payment_stats as (
    select
        customer360_id,
        count(case when status in ('success', 'refunded') then 1 end) as successful_payments,
        count(case when status = 'failed' then 1 end) as failed_payments,
        count(
            case
                when
                    status = 'failed'
                    and paid_at > {{ dbt.dateadd('day', -var('health_window_days'), as_of_timestamp()) }}
                    then 1
            end
        ) as recent_failed_payments
    from payments
    group by customer360_id
),

latest_nps as (
    select
        customer360_id,
        nps_group
    from (
        select
            customer360_id,
            nps_group,
            row_number() over (partition by customer360_id order by contacted_at desc, contact_key desc) as answer_rank
        from contacts
        where contact_source = 'nps_response'
    ) as ranked
    where answer_rank = 1
),

support_stats as (
    select
        customer360_id,
        count(case when resolved_at is null then 1 end) as open_tickets,
        count(case when csat_score <= {{ var('health_low_csat_max') }} then 1 end) as low_csat_tickets
    from contacts
    where contact_source = 'support_ticket'
    group by customer360_id
),

inputs as (
    select
        customers.customer360_id,
        {{ dbt.datediff(
            'case when visit_stats.last_visit_at > order_stats.last_order_at or order_stats.last_order_at is null '
            ~ 'then visit_stats.last_visit_at else order_stats.last_order_at end',
            as_of_timestamp(), 'day') }} as days_since_last_use,
        coalesce(visit_stats.sessions_in_window, 0) as sessions_in_window,
        coalesce(order_stats.orders_in_window, 0) as orders_in_window,
        coalesce(visit_stats.features_used_in_window, 0) as features_used_in_window,
        coalesce(payment_stats.successful_payments, 0) as successful_payments,
        coalesce(payment_stats.failed_payments, 0) as failed_payments,
        coalesce(payment_stats.recent_failed_payments, 0) as recent_failed_payments,
        coalesce(support_stats.open_tickets, 0) as open_tickets,
        coalesce(support_stats.low_csat_tickets, 0) as low_csat_tickets,
        coalesce(latest_nps.nps_group = 'detractor', false) as is_nps_detractor
    from customers
    left join visit_stats on customers.customer360_id = visit_stats.customer360_id
    left join order_stats on customers.customer360_id = order_stats.customer360_id
    left join payment_stats on customers.customer360_id = payment_stats.customer360_id
    left join support_stats on customers.customer360_id = support_stats.customer360_id
    left join latest_nps on customers.customer360_id = latest_nps.customer360_id
),

components as (
    select
        *,
        {{ health_usage_score('days_since_last_use', 'sessions_in_window', 'orders_in_window',
            'features_used_in_window') }} as usage_score,
        {{ health_payment_score('successful_payments', 'failed_payments', 'recent_failed_payments') }}
            as payment_score,
        {{ health_support_score('open_tickets', 'low_csat_tickets', 'is_nps_detractor') }} as support_score
    from inputs
),

scored as (
    select
        *,
        {{ customer_health_score('usage_score', 'payment_score', 'support_score') }} as health_score_raw
    from components
),

final as (
    select
        customer360_id,
        days_since_last_use,
        sessions_in_window,
        orders_in_window,
        features_used_in_window,
        successful_payments,
        failed_payments,
        recent_failed_payments,
        open_tickets,
        low_csat_tickets,
        is_nps_detractor,
        cast(usage_score as {{ type_double() }}) as usage_score,
        cast(payment_score as {{ type_double() }}) as payment_score,
        cast(support_score as {{ type_double() }}) as support_score,
        cast(health_score_raw as {{ type_double() }}) as health_score_raw,
        cast(round(cast(health_score_raw as {{ dbt.type_numeric() }}), 2) as {{ dbt.type_numeric() }}) as health_score,
        {{ health_band('round(cast(health_score_raw as ' ~ dbt.type_numeric() ~ '), 2)') }} as health_band
    from scored
)

select * from final
