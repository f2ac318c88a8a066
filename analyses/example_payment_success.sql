-- Payment success by method over every month: the rates are recomputed from the summed counts (never averaged
-- over months), with the failed amount (reporting currency) and the orders that failed and were retried and paid.
select
    payment_method,
    sum(attempts) as attempts,
    sum(succeeded) as succeeded,
    sum(failed) as failed,
    round({{ safe_divide('sum(succeeded)', 'sum(attempts)') }}, 4) as success_rate,
    sum(failed_amount) as failed_amount,
    sum(failed_orders) as failed_orders,
    sum(retried_then_succeeded_orders) as retried_then_succeeded_orders,
    round({{ safe_divide('sum(retried_then_succeeded_orders)', 'sum(failed_orders)') }}, 4) as failure_recovery_rate
from {{ ref('mart_payment_success') }}
group by payment_method
order by case when payment_method = 'all' then 1 else 0 end, sum(attempts) desc
