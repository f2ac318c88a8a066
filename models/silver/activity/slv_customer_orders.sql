{#-
    Every current order of a resolved customer, up to as_of and within the
    retention window (GEN-03), with its value, refund and, for completed
    orders, the gap to the customer's previous completed order.

    Customer: the order names a web user, a CRM customer and/or a loyalty
    member; each maps to a customer360_id through customer_id_map (identity
    resolution puts ids named on one order in the same cluster, so they agree;
    the most trusted system is taken: crm, loyalty, ecom). Orders naming no
    known id are left out.

    Value: the lines' quantity x unit price - discount; an order without
    accepted lines takes its successful payments. Amounts are in the order's
    currency (no FX rates are delivered).

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
        sum(quantity * unit_price - coalesce(discount_amount, 0)) as lines_value,
        sum(quantity) as units,
        count(*) as line_count
    from {{ ref('brz_oms__order_items') }}
    where _is_current
    group by order_id
),

payments as (
    select
        order_id,
        sum(case when status = 'success' then amount end) as paid_amount,
        sum(case when status = 'refunded' then amount end) as refunded_amount,
        count(case when status = 'refunded' then 1 end) as refund_payments
    from {{ ref('brz_oms__payments') }}
    where _is_current and paid_at <= {{ as_of_timestamp() }}
    group by order_id
),

mapped as (
    {{ map_to_customer360('orders', [('crm', 'customer_id'), ('loyalty', 'loyalty_id'), ('ecom', 'web_user_id')]) }}
),

valued as (
    select
        mapped.order_id,
        mapped.customer360_id,
        mapped.ordered_at,
        mapped.status,
        mapped.sales_channel,
        mapped.currency,
        mapped.status = 'completed' as is_completed,
        mapped.status = 'returned' or coalesce(payments.refund_payments, 0) > 0 as is_refunded,
        cast(coalesce(lines.lines_value, payments.paid_amount, 0) as {{ dbt.type_numeric() }}) as order_value,
        cast(coalesce(payments.paid_amount, 0) as {{ dbt.type_numeric() }}) as paid_amount,
        coalesce(lines.units, 0) as units,
        coalesce(lines.line_count, 0) as line_count,
        payments.refunded_amount
    from mapped
    left join lines on mapped.order_id = lines.order_id
    left join payments on mapped.order_id = payments.order_id
    where mapped.customer360_id is not null
),

completed_sequence as (
    select
        order_id,
        row_number() over (partition by customer360_id order by ordered_at, order_id) as completed_order_number,
        lag(ordered_at) over (partition by customer360_id order by ordered_at, order_id) as previous_completed_order_at
    from valued
    where is_completed
),

final as (
    select
        valued.order_id,
        valued.customer360_id,
        valued.ordered_at,
        cast(valued.ordered_at as date) as order_date,
        valued.status,
        valued.sales_channel,
        valued.currency,
        valued.is_completed,
        valued.is_refunded,
        valued.order_value,
        valued.paid_amount,
        cast(
            case
                when valued.refunded_amount is not null then valued.refunded_amount
                when valued.is_refunded then valued.order_value
                else 0
            end as {{ dbt.type_numeric() }}
        ) as refund_amount,
        valued.units,
        valued.line_count,
        completed_sequence.completed_order_number,
        completed_sequence.previous_completed_order_at,
        {{ dbt.datediff('completed_sequence.previous_completed_order_at', 'valued.ordered_at', 'day') }}
            as days_since_previous_order,
        valued.is_completed
        and {{ lifecycle_is_reactivation('completed_sequence.previous_completed_order_at', 'valued.ordered_at') }}
            as is_reactivation
    from valued
    left join completed_sequence on valued.order_id = completed_sequence.order_id
)

select * from final
