-- mart_product_performance counts every line of a completed order once: its revenue, units and orders add up to those of
-- slv_product_order_lines (returned, pending and cancelled orders excluded), whatever the catalogue says.
with

lines as (
    select
        sum(line_revenue) as revenue,
        sum(quantity) as units,
        count(distinct {{ dbt.concat(['order_id', "':'", 'product_id']) }}) as order_products
    from {{ ref('slv_product_order_lines') }}
    where order_status = 'completed'
),

products as (
    select
        sum(total_revenue) as revenue,
        sum(total_units) as units,
        sum(total_orders) as order_products,
        count(*) as product_count
    from {{ ref('mart_product_performance') }}
)

select
    lines.revenue as lines_revenue,
    products.revenue as products_revenue,
    lines.units as lines_units,
    products.units as products_units
from lines
cross join products
where
    -- each product's revenue is rounded to cents: at most half a cent per product apart
    abs(coalesce(lines.revenue, 0) - coalesce(products.revenue, 0)) > 0.005 * products.product_count + 0.000001
    or coalesce(lines.units, 0) <> coalesce(products.units, 0)
    or coalesce(lines.order_products, 0) <> coalesce(products.order_products, 0)
