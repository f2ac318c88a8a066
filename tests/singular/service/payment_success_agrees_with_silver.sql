-- mart_payment_success adds up: per month the methods sum to the `all` row, and over every month the `all` rows
-- hold every payment of slv_payments by status (the sample's 210 failed payments among them) and every order with
-- a failed payment once. Returns one row per disagreement.
with

kpis as (
    select * from {{ ref('mart_payment_success') }}
),

method_sums as (
    select
        period_start,
        sum(attempts) as attempts,
        sum(succeeded) as succeeded,
        sum(failed) as failed,
        sum(refunded) as refunded,
        sum(succeeded_amount) as succeeded_amount,
        sum(failed_amount) as failed_amount,
        sum(failed_orders) as failed_orders,
        sum(retried_then_succeeded_orders) as retried_then_succeeded_orders
    from kpis
    where payment_method <> 'all'
    group by period_start
),

totals as (
    select
        sum(attempts) as attempts,
        sum(succeeded) as succeeded,
        sum(failed) as failed,
        sum(refunded) as refunded,
        sum(failed_orders) as failed_orders
    from kpis
    where payment_method = 'all'
),

silver as (
    select
        count(*) as attempts,
        sum(case when status in ('success', 'refunded') then 1 else 0 end) as succeeded,
        sum(case when status = 'failed' then 1 else 0 end) as failed,
        sum(case when status = 'refunded' then 1 else 0 end) as refunded,
        count(distinct case when status = 'failed' then order_id end) as failed_orders
    from {{ ref('slv_payments') }}
)

select
    'methods sum to all' as check_name,
    kpis.period_start
from kpis
left join method_sums on kpis.period_start = method_sums.period_start
where
    kpis.payment_method = 'all'
    and (
        method_sums.period_start is null
        or kpis.attempts <> method_sums.attempts
        or kpis.succeeded <> method_sums.succeeded
        or kpis.failed <> method_sums.failed
        or kpis.refunded <> method_sums.refunded
        or kpis.succeeded_amount <> method_sums.succeeded_amount
        or kpis.failed_amount <> method_sums.failed_amount
        or kpis.failed_orders <> method_sums.failed_orders
        or kpis.retried_then_succeeded_orders <> method_sums.retried_then_succeeded_orders
    )

union all

select
    'all rows hold every silver payment' as check_name,
    cast(null as date) as period_start
from totals
cross join silver
where
    coalesce(totals.attempts, 0) <> silver.attempts
    or coalesce(totals.succeeded, 0) <> coalesce(silver.succeeded, 0)
    or coalesce(totals.failed, 0) <> coalesce(silver.failed, 0)
    or coalesce(totals.refunded, 0) <> coalesce(silver.refunded, 0)
    or coalesce(totals.failed_orders, 0) <> silver.failed_orders
