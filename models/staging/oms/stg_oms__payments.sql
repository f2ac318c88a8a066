{#- Payments: typed (cents to currency units), every PAY row rule flagged. -#}
{%- set raw_columns = ['payment_id', 'order_id', 'payment_method', 'amount_cents', 'status', 'paid_at'] -%}

with

source as (
    select * from {{ raw_source('oms', 'payments') }}
),

orders as (
    -- PAY-02 judges references against the orders OMS delivered, and a valid order is an accepted one:
    -- a payment naming an order whose record was rejected is rejected too (README, "Data quality: how a rule is enforced")
    {{ dq_parent_keys('stg_oms__orders', 'order_id') }}
),

typed as (
    select
        nullif(trim(payment_id), '') as payment_id,
        nullif(trim(order_id), '') as order_id,
        nullif(lower(trim(payment_method)), '') as payment_method,
        amount_cents as amount_cents_raw,
        {{ parse_integer('amount_cents') }} as amount_cents,
        {{ parse_integer('amount_cents') }} / 100.0 as amount,
        nullif(lower(trim(status)), '') as status,
        paid_at as paid_at_raw,
        {{ parse_timestamp('paid_at') }} as paid_at,
        nullif(trim(payment_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- PAY-07: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('payments') }} as dq_pay_07,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('payments') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('payment_id', 'paid_at') }} as _key_rank from copies
),

flagged as (
    select
        ranked.*,
        {{ dq_later_duplicate('ranked.payment_id', 'payment_id') }} as dq_pay_01,
        {{ dq_reference_problem('ranked.order_id', 'orders', 'order_id', 'is not a delivered order', 'order') }}
            as dq_pay_02,
        {{ dq_number_problem('ranked.amount_cents_raw', 'ranked.amount_cents', min_value=0, strict_min=true, kind='integer') }}
            as dq_pay_03,
        {{ dq_not_accepted('ranked.payment_method', 'payment_method', 'payment_method') }} as dq_pay_04,
        {{ dq_not_accepted('ranked.status', 'payment_status', 'status') }} as dq_pay_05,
        {{ dq_time_problem('ranked.paid_at_raw', 'ranked.paid_at') }} as dq_pay_06
    from ranked
    left join orders on ranked.order_id = orders.order_id
),

final as (
    select *, {{ dq_is_accepted('payments') }} as _is_accepted from flagged
)

select * from final
