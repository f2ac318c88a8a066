{#-
    Every order line in its current accepted version, unless its order is
    older than the retention window (GEN-03): one row per order_id and
    line_number, with its order's time (ordered_at; staging's OIT-02 rejects
    a line whose order was not accepted, so the left join only guards against
    an order bronze no longer holds as current), with line_revenue = quantity x
    unit price - discount, in
    the order's currency. slv_orders sums these into the order value and
    converts; slv_product_order_lines adds the order's customer, time and
    reporting-currency revenue.
-#}

with

lines as (
    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        coalesce(discount_amount, 0) as discount_amount
    from {{ ref('brz_oms__order_items') }}
    where _is_current
),

orders as (
    select
        order_id,
        ordered_at
    from {{ ref('brz_oms__orders') }}
    where _is_current
),

final as (
    select
        {{ dbt.concat(['lines.order_id', "':'", 'cast(lines.line_number as ' ~ dbt.type_string() ~ ')']) }} as order_line_key,
        lines.order_id,
        lines.line_number,
        orders.ordered_at,
        lines.product_id,
        lines.quantity,
        lines.unit_price,
        lines.discount_amount,
        cast(lines.quantity * lines.unit_price - lines.discount_amount as {{ dbt.type_numeric() }}) as line_revenue
    from lines
    left join orders
        on lines.order_id = orders.order_id
    where orders.ordered_at is null or orders.ordered_at >= {{ retention_cutoff() }}
)

select * from final
