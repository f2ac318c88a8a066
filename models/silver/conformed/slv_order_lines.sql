{#-
    Every order line in its current accepted version: one row per order_id and
    line_number, with line_revenue_local = quantity x unit price - discount, in
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

final as (
    select
        {{ dbt.concat(['order_id', "':'", 'cast(line_number as ' ~ dbt.type_string() ~ ')']) }} as order_line_key,
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        discount_amount,
        cast(quantity * unit_price - discount_amount as {{ dbt.type_numeric() }}) as line_revenue
    from lines
)

select * from final
