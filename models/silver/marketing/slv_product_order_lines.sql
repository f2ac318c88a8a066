{#-
    Every current order line (brz_oms__order_items, accepted rows only) of an
    order in slv_customer_orders, i.e. of a resolved customer, up to as_of and
    within the retention window, with the order's customer360_id, time and
    status. line_revenue = quantity x unit price - discount, the same value
    slv_customer_orders sums into order_value. Lines of every order status are
    kept; the product marts decide which statuses count.
-#}

with

orders as (
    select
        order_id,
        customer360_id,
        ordered_at,
        order_date,
        status
    from {{ ref('slv_customer_orders') }}
),

lines as (
    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        discount_amount
    from {{ ref('brz_oms__order_items') }}
    where _is_current
),

final as (
    select
        {{ dbt.concat(['lines.order_id', "':'", 'cast(lines.line_number as ' ~ dbt.type_string() ~ ')']) }}
            as order_line_key,
        lines.order_id,
        lines.line_number,
        orders.customer360_id,
        orders.ordered_at,
        orders.order_date,
        orders.status as order_status,
        lines.product_id,
        lines.quantity,
        lines.unit_price,
        coalesce(lines.discount_amount, 0) as discount_amount,
        cast(lines.quantity * lines.unit_price - coalesce(lines.discount_amount, 0) as {{ dbt.type_numeric() }})
            as line_revenue
    from lines
    inner join orders
        on lines.order_id = orders.order_id
)

select * from final
