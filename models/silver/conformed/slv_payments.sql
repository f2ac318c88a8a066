{#-
    Every payment in its current accepted version made up to as_of and within
    the retention window (GEN-03): one row per payment_id, in the order's currency (amount = amount_cents / 100).
    slv_orders sums and converts them per order.
-#}

with

payments as (
    select
        payment_id,
        order_id,
        payment_method,
        amount_cents,
        amount,
        status,
        paid_at
    from {{ ref('brz_oms__payments') }}
    where
        _is_current
        and {{ within_retention_window('paid_at') }}
)

select * from payments
