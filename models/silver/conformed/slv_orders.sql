{#-
    Every order in its current accepted version, placed up to as_of and within
    the retention window (GEN-03): one row per order_id, with the ids the till
    or shop knew (identity resolution maps them; slv_customer_orders adds the
    customer), its value and payments in the order's currency and converted to
    the reporting currency at the reference rate of the order's month
    (slv_fx_rates), rounded to the cent. Staging rejects an order whose currency has no rate for its
    month (ORD-06), so every order here converts.

    Value: the lines' quantity x unit price - discount; an order without
    accepted lines takes its successful payments.
    Refund: a returned order, or one with a refunded payment; the amount is the
    refunded payments, else (returned without a refund payment) the order value.
-#}

with

orders as (
    select
        order_id,
        web_user_id,
        customer_id,
        loyalty_id,
        ordered_at,
        status,
        sales_channel,
        currency
    from {{ ref('brz_oms__orders') }}
    where
        _is_current
        and {{ within_retention_window('ordered_at') }}
),

lines as (
    select
        order_id,
        sum(line_revenue) as lines_value,
        sum(quantity) as units,
        count(*) as line_count
    from {{ ref('slv_order_lines') }}
    group by order_id
),

payments as (
    select
        order_id,
        sum(case when status = 'success' then amount end) as paid_amount,
        sum(case when status = 'refunded' then amount end) as refunded_amount,
        count(case when status = 'refunded' then 1 end) as refund_payments
    from {{ ref('slv_payments') }}
    group by order_id
),

rates as (
    select
        rate_month,
        currency,
        rate_to_reporting
    from {{ ref('slv_fx_rates') }}
),

valued as (
    select
        orders.order_id,
        orders.web_user_id,
        orders.customer_id,
        orders.loyalty_id,
        orders.ordered_at,
        cast(orders.ordered_at as date) as order_date,
        orders.status,
        orders.sales_channel,
        orders.currency,
        rates.rate_to_reporting as fx_rate,
        orders.status = 'completed' as is_completed,
        orders.status = 'returned' or coalesce(payments.refund_payments, 0) > 0 as is_refunded,
        coalesce(lines.lines_value, payments.paid_amount, 0) as order_value_local,
        coalesce(payments.paid_amount, 0) as paid_amount_local,
        payments.refunded_amount as refunded_amount_local,
        coalesce(lines.units, 0) as units,
        coalesce(lines.line_count, 0) as line_count
    from orders
    left join lines on orders.order_id = lines.order_id
    left join payments on orders.order_id = payments.order_id
    left join rates
        on
            orders.currency = rates.currency
            and cast({{ dbt.date_trunc('month', 'orders.ordered_at') }} as date) = rates.rate_month
),

final as (
    select
        order_id,
        web_user_id,
        customer_id,
        loyalty_id,
        ordered_at,
        order_date,
        status,
        sales_channel,
        currency,
        fx_rate,
        is_completed,
        is_refunded,
        units,
        line_count,
        cast(order_value_local as {{ dbt.type_numeric() }}) as order_value_local,
        cast(
            case
                when refunded_amount_local is not null then refunded_amount_local
                when is_refunded then order_value_local
                else 0
            end as {{ dbt.type_numeric() }}
        ) as refund_amount_local,
        -- converted amounts are money: rounded to the cent once, here
        {{ money("order_value_local * fx_rate") }} as order_value,
        {{ money("paid_amount_local * fx_rate") }} as paid_amount,
        {{ money("case
            when refunded_amount_local is not null then refunded_amount_local
            when is_refunded then order_value_local
            else 0
        end * fx_rate") }} as refund_amount
    from valued
)

select * from final
