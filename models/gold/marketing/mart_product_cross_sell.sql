{#-
    Market-basket pairs, grain (product, cross-sell product), both directions:
    over the completed orders of slv_product_order_lines (the same orders as
    mart_product_performance's revenue), how often two products are in the same
    order.

        support    = orders with both / completed orders with any line
        confidence = orders with both / orders with the product          (P(cross-sell | product))
        lift       = confidence / (orders with the cross-sell product / all orders)
                   = orders_together x all orders / (product orders x cross-sell product orders)

    lift > 1: bought together more often than independently. Only pairs seen
    together at least once are listed.
-#}

with

order_products as (
    select distinct
        order_id,
        product_id
    from {{ ref('slv_product_order_lines') }}
    where order_status = 'completed'
),

all_orders as (
    select count(distinct order_id) as order_count from order_products
),

product_orders as (
    select
        product_id,
        count(*) as order_count
    from order_products
    group by product_id
),

pairs as (
    select
        base.product_id,
        other.product_id as cross_sell_product_id,
        count(*) as orders_together
    from order_products as base
    inner join order_products as other
        on base.order_id = other.order_id and base.product_id <> other.product_id
    group by base.product_id, other.product_id
),

final as (
    select
        cast({{ dbt.concat(['pairs.product_id', "':'", 'pairs.cross_sell_product_id']) }} as varchar) as pair_key,
        cast(pairs.product_id as varchar) as product_id,
        cast(pairs.cross_sell_product_id as varchar) as cross_sell_product_id,
        cast(pairs.orders_together as bigint) as orders_together,
        cast(base_orders.order_count as bigint) as product_orders,
        cast(other_orders.order_count as bigint) as cross_sell_product_orders,
        cast(all_orders.order_count as bigint) as total_orders,
        cast({{ safe_divide('pairs.orders_together', 'all_orders.order_count') }} as numeric(10, 6)) as support,
        cast({{ safe_divide('pairs.orders_together', 'base_orders.order_count') }} as numeric(10, 6)) as confidence,
        cast(
            {{ safe_divide('pairs.orders_together * all_orders.order_count', 'base_orders.order_count * other_orders.order_count') }}
            as numeric(18, 4)
        ) as lift
    from pairs
    inner join product_orders as base_orders on pairs.product_id = base_orders.product_id
    inner join product_orders as other_orders on pairs.cross_sell_product_id = other_orders.product_id
    cross join all_orders
)

select * from final
