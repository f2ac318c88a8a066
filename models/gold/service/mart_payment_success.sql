{#-
    Payment success, grain month (of paid_at) x payment method, plus a row per month
    for every method together (payment_method 'all'). Every payment of slv_payments
    (current accepted versions up to as_of) is an attempt: status success or refunded
    (the money went through; a refund came later) counts as succeeded, failed as
    failed. Amounts are converted to the reporting currency at the order's rate
    (slv_orders.fx_rate), each payment rounded to the cent (macro money) so that the
    methods add up to the 'all' row exactly; a payment whose order is not in
    slv_orders has no known currency and adds no amount (its attempt still counts).

    Retries: an order with a failed payment counts once, in the month and method of
    its first failed payment (failed_orders); it was retried and succeeded when a
    later payment of the order succeeded (retried_then_succeeded_orders). Both are
    additive over months and methods. A month x method without attempts has no row.
-#}

with

orders as (
    select
        order_id,
        fx_rate
    from {{ ref('slv_orders') }}
),

payments as (
    select
        slv_payments.payment_id,
        slv_payments.order_id,
        slv_payments.payment_method,
        slv_payments.paid_at,
        cast({{ dbt.date_trunc('month', 'slv_payments.paid_at') }} as date) as period_start,
        case when slv_payments.status in ('success', 'refunded') then 1 else 0 end as succeeded_flag,
        case when slv_payments.status = 'failed' then 1 else 0 end as failed_flag,
        case when slv_payments.status = 'refunded' then 1 else 0 end as refunded_flag,
        {{ money('slv_payments.amount * orders.fx_rate') }} as amount_reporting
    from {{ ref('slv_payments') }} as slv_payments
    left join orders on slv_payments.order_id = orders.order_id
),

last_success as (
    select
        order_id,
        max(paid_at) as last_succeeded_at
    from payments
    where succeeded_flag = 1
    group by order_id
),

ranked_failures as (
    select
        order_id,
        payment_method,
        paid_at,
        period_start,
        row_number() over (partition by order_id order by paid_at, payment_id) as failure_number
    from payments
    where failed_flag = 1
),

first_failures as (
    select
        ranked_failures.period_start,
        ranked_failures.payment_method,
        case when last_success.last_succeeded_at > ranked_failures.paid_at then 1 else 0 end as recovered_flag
    from ranked_failures
    left join last_success on ranked_failures.order_id = last_success.order_id
    where ranked_failures.failure_number = 1
),

payments_by_method as (
    select
        payments.*,
        payments.payment_method as method_key
    from payments
    union all
    select
        payments.*,
        'all' as method_key
    from payments
),

failures_by_method as (
    select
        first_failures.*,
        first_failures.payment_method as method_key
    from first_failures
    union all
    select
        first_failures.*,
        'all' as method_key
    from first_failures
),

attempts as (
    select
        period_start,
        method_key,
        count(*) as attempts,
        sum(succeeded_flag) as succeeded,
        sum(failed_flag) as failed,
        sum(refunded_flag) as refunded,
        sum(case when succeeded_flag = 1 then amount_reporting end) as succeeded_amount,
        sum(case when failed_flag = 1 then amount_reporting end) as failed_amount
    from payments_by_method
    group by period_start, method_key
),

failed_orders as (
    select
        period_start,
        method_key,
        count(*) as failed_orders,
        sum(recovered_flag) as recovered_orders
    from failures_by_method
    group by period_start, method_key
),

final as (
    select
        {{ dbt.concat(['cast(attempts.period_start as ' ~ dbt.type_string() ~ ')', "'|'", 'attempts.method_key']) }}
            as payment_kpi_key,
        attempts.period_start,
        cast({{ dbt.dateadd('month', 1, 'attempts.period_start') }} as date) as period_end,
        cast({{ dbt.dateadd('month', 1, 'attempts.period_start') }} as date) <= {{ as_of_date() }}
            as is_complete_period,
        attempts.method_key as payment_method,
        cast(attempts.attempts as {{ dbt.type_bigint() }}) as attempts,
        cast(attempts.succeeded as {{ dbt.type_bigint() }}) as succeeded,
        cast(attempts.failed as {{ dbt.type_bigint() }}) as failed,
        cast(attempts.refunded as {{ dbt.type_bigint() }}) as refunded,
        cast({{ safe_divide('attempts.succeeded', 'attempts.attempts') }} as {{ type_double() }}) as success_rate,
        cast(coalesce(attempts.succeeded_amount, 0) as numeric(18, 2)) as succeeded_amount,
        cast(coalesce(attempts.failed_amount, 0) as numeric(18, 2)) as failed_amount,
        cast(coalesce(failed_orders.failed_orders, 0) as {{ dbt.type_bigint() }}) as failed_orders,
        cast(coalesce(failed_orders.recovered_orders, 0) as {{ dbt.type_bigint() }}) as retried_then_succeeded_orders,
        cast({{ safe_divide('failed_orders.recovered_orders', 'failed_orders.failed_orders') }} as {{ type_double() }})
            as failure_recovery_rate
    from attempts
    left join failed_orders
        on
            attempts.period_start = failed_orders.period_start
            and attempts.method_key = failed_orders.method_key
)

select * from final
