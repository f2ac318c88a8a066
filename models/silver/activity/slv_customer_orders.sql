{#-
    Every order of a resolved customer (slv_orders: current, up to as_of,
    within the retention window, valued and converted to the reporting
    currency) with its customer360_id and, for completed orders, the gap to the
    customer's previous completed order.

    Customer: the order names a web user, a CRM customer and/or a loyalty
    member; each maps to a customer360_id through slv_customer_id_map (identity
    resolution puts ids named on one order in the same cluster, so they agree;
    the most trusted system is taken: crm, loyalty, ecom). Orders naming no
    known id are left out.

    order_value, paid_amount and refund_amount are in the reporting currency
    (var reporting_currency); *_local and currency keep the order's own.
-#}

with

orders as (
    select * from {{ ref('slv_orders') }}
),

mapped as (
    {{ map_to_customer360('orders', [('crm', 'customer_id'), ('loyalty', 'loyalty_id'), ('ecom', 'web_user_id')]) }}
),

resolved as (
    select * from mapped
    where customer360_id is not null
),

completed_sequence as (
    select
        order_id,
        row_number() over (partition by customer360_id order by ordered_at, order_id) as completed_order_number,
        lag(ordered_at) over (partition by customer360_id order by ordered_at, order_id) as previous_completed_order_at
    from resolved
    where is_completed
),

final as (
    select
        resolved.order_id,
        resolved.customer360_id,
        resolved.ordered_at,
        resolved.order_date,
        resolved.status,
        resolved.sales_channel,
        resolved.currency,
        resolved.fx_rate,
        resolved.is_completed,
        resolved.is_refunded,
        resolved.order_value,
        resolved.paid_amount,
        resolved.refund_amount,
        resolved.order_value_local,
        resolved.refund_amount_local,
        resolved.units,
        resolved.line_count,
        completed_sequence.completed_order_number,
        completed_sequence.previous_completed_order_at,
        {{ dbt.datediff('completed_sequence.previous_completed_order_at', 'resolved.ordered_at', 'day') }}
            as days_since_previous_order,
        resolved.is_completed
        and {{ lifecycle_is_reactivation('completed_sequence.previous_completed_order_at', 'resolved.ordered_at') }}
            as is_reactivation
    from resolved
    left join completed_sequence on resolved.order_id = completed_sequence.order_id
)

select * from final
