{#-
    Every current order line (slv_order_lines) of an order in
    slv_customer_orders, i.e. of a resolved customer, up to as_of and within
    the retention window, with the order's customer360_id, time and status.
    line_revenue = (quantity x unit price - discount) converted to the
    reporting currency at the order's rate and rounded to the cent (slv_orders
    rounds the order's total, so the two may differ by rounding); line_revenue_local keeps the order's currency. Lines of every
    order status are kept; the product marts decide which statuses count.
-#}

with

orders as (
    select
        order_id,
        customer360_id,
        ordered_at,
        order_date,
        status,
        currency,
        fx_rate
    from {{ ref('slv_customer_orders') }}
),

lines as (
    select * from {{ ref('slv_order_lines') }}
),

final as (
    select
        lines.order_line_key,
        lines.order_id,
        lines.line_number,
        orders.customer360_id,
        orders.ordered_at,
        orders.order_date,
        orders.status as order_status,
        lines.product_id,
        lines.quantity,
        lines.unit_price,
        lines.discount_amount,
        orders.currency,
        {{ money('lines.line_revenue * orders.fx_rate') }} as line_revenue,
        lines.line_revenue as line_revenue_local
    from lines
    inner join orders
        on lines.order_id = orders.order_id
)

select * from final
