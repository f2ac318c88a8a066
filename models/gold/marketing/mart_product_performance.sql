{#-
    One row per product: every current product of the catalogue and every
    product id on an accepted order line whose catalogue record was rejected
    (attributes null, is_in_catalogue false), so the revenue reconciles with
    the orders.

    Sales are the lines of completed orders (slv_product_order_lines:
    resolved customers, up to as_of, within the retention window). Returned
    orders are not sales (no units, orders, customers or revenue); they count
    in return_rate = returned orders / (completed + returned orders) holding
    the product. Pending and cancelled orders count nowhere.

    ABC class, rank and product status come from the macros of
    macros/marketing/product_performance.sql (thresholds are vars); the
    payment mix (slv_product_payment_mix) spreads each order's product revenue
    over the order's successful payments in proportion to their amounts.
-#}
{%- set methods = accepted_values_of('payment_method') -%}
{%- set promotional_methods = promotional_payment_methods() -%}
{%- set window_days = var('product_status_window_days') -%}

with

products as (
    select
        product_id,
        product_name,
        category,
        unit_price,
        launched_on
    from {{ ref('slv_products') }}
),

lines as (
    select
        order_id,
        product_id,
        customer360_id,
        ordered_at,
        order_status,
        quantity,
        line_revenue
    from {{ ref('slv_product_order_lines') }}
    where order_status in ('completed', 'returned')
),

-- one row per order and product (a product can be on several lines of an order)
order_products as (
    select
        order_id,
        product_id,
        max(customer360_id) as customer360_id,
        max(ordered_at) as ordered_at,
        max(order_status) as order_status,
        sum(quantity) as units,
        sum(line_revenue) as revenue
    from lines
    group by order_id, product_id
),

completed_order_products as (
    select * from order_products
    where order_status = 'completed'
),

windows as (
    select
        {{ dbt.dateadd('day', -1 * window_days, as_of_timestamp()) }} as recent_from,
        {{ dbt.dateadd('day', -2 * window_days, as_of_timestamp()) }} as previous_from
),

sales as (
    select
        completed_order_products.product_id,
        sum(completed_order_products.units) as total_units,
        count(*) as total_orders,
        count(distinct completed_order_products.customer360_id) as total_customers,
        sum(completed_order_products.revenue) as total_revenue,
        min(completed_order_products.ordered_at) as first_order_at,
        max(completed_order_products.ordered_at) as last_order_at,
        sum(
            case when completed_order_products.ordered_at >= windows.recent_from then completed_order_products.revenue else 0 end
        ) as recent_revenue,
        sum(
            case
                when completed_order_products.ordered_at >= windows.previous_from
                    and completed_order_products.ordered_at < windows.recent_from
                    then completed_order_products.revenue
                else 0
            end
        ) as previous_revenue
    from completed_order_products
    cross join windows
    group by completed_order_products.product_id
),

returns as (
    select
        product_id,
        count(*) as fulfilled_orders,
        count(case when order_status = 'returned' then 1 end) as returned_orders
    from order_products
    group by product_id
),

buying_customers as (
    select count(distinct customer360_id) as customer_count
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

payment_mix as (
    select
        product_id,
        {%- for method in methods %}
        sum(case when payment_method = '{{ method }}' then paid_revenue else 0 end) as {{ method }}_revenue,
        {%- endfor %}
        sum(paid_revenue) as paid_revenue
    from {{ ref('slv_product_payment_mix') }}
    group by product_id
),

top_cross_sell as (
    select
        product_id,
        cross_sell_product_id,
        orders_together,
        confidence,
        lift,
        row_number() over (
            partition by product_id order by orders_together desc, lift desc, cross_sell_product_id asc
        ) as pair_rank
    from {{ ref('mart_product_cross_sell') }}
),

product_ids as (
    select product_id from products
    union
    select product_id from order_products
),

measured as (
    select
        product_ids.product_id,
        products.product_id is not null as is_in_catalogue,
        products.product_name,
        products.category,
        products.unit_price,
        products.launched_on,
        coalesce(sales.total_units, 0) as total_units,
        coalesce(sales.total_orders, 0) as total_orders,
        coalesce(sales.total_customers, 0) as total_customers,
        coalesce(sales.total_revenue, 0) as total_revenue,
        sales.first_order_at,
        sales.last_order_at,
        coalesce(returns.returned_orders, 0) as returned_orders,
        {{ safe_divide('returns.returned_orders', 'returns.fulfilled_orders') }} as return_rate,
        {{ safe_divide('sales.total_customers', 'buying_customers.customer_count') }} as market_penetration,
        coalesce(sales.recent_revenue, 0) as recent_revenue,
        coalesce(sales.previous_revenue, 0) as previous_revenue,
        payment_mix.paid_revenue,
        {%- for method in methods %}
        payment_mix.{{ method }}_revenue,
        {%- endfor %}
        top_cross_sell.cross_sell_product_id as top_cross_sell_product_id,
        top_cross_sell.orders_together as top_cross_sell_orders_together,
        top_cross_sell.confidence as top_cross_sell_confidence,
        top_cross_sell.lift as top_cross_sell_lift
    from product_ids
    left join products on product_ids.product_id = products.product_id
    left join sales on product_ids.product_id = sales.product_id
    left join returns on product_ids.product_id = returns.product_id
    left join payment_mix on product_ids.product_id = payment_mix.product_id
    left join top_cross_sell on product_ids.product_id = top_cross_sell.product_id and top_cross_sell.pair_rank = 1
    cross join buying_customers
),

classified as (
    select
        measured.*,
        {{ abc_rank('total_revenue', 'product_id') }} as revenue_rank,
        {{ safe_divide('total_revenue', 'sum(total_revenue) over ()') }} as revenue_share,
        {{ abc_cumulative_share('total_revenue', 'product_id') }} as cumulative_revenue_share,
        {{ abc_class('total_revenue', 'product_id') }} as abc_category,
        {{ safe_divide('recent_revenue - previous_revenue', 'previous_revenue') }} as revenue_growth,
        {{ safe_divide('recent_revenue', 'sum(recent_revenue) over ()') }} as recent_revenue_share,
        {{ product_share_growth('recent_revenue', 'previous_revenue', 'sum(recent_revenue) over ()', 'sum(previous_revenue) over ()') }}
            as share_growth
    from measured
),

statused as (
    select
        classified.*,
        {{ product_status('recent_revenue_share', 'recent_revenue', 'previous_revenue', 'share_growth') }} as product_status
    from classified
),

final as (
    select
        cast(product_id as varchar) as product_id,
        cast(is_in_catalogue as boolean) as is_in_catalogue,
        cast(product_name as varchar) as product_name,
        cast(category as varchar) as category,
        cast(unit_price as numeric(18, 2)) as unit_price,
        cast(launched_on as date) as launched_on,
        cast(total_units as bigint) as total_units,
        cast(total_orders as bigint) as total_orders,
        cast(total_customers as bigint) as total_customers,
        cast(total_revenue as numeric(18, 2)) as total_revenue,
        cast(first_order_at as timestamp) as first_order_at,
        cast(last_order_at as timestamp) as last_order_at,
        cast(returned_orders as bigint) as returned_orders,
        cast(return_rate as numeric(10, 6)) as return_rate,
        cast(market_penetration as numeric(10, 6)) as market_penetration,
        cast(revenue_rank as integer) as revenue_rank,
        cast(revenue_share as numeric(10, 6)) as revenue_share,
        cast(cumulative_revenue_share as numeric(10, 6)) as cumulative_revenue_share,
        cast(abc_category as varchar) as abc_category,
        cast(recent_revenue as numeric(18, 2)) as recent_revenue,
        cast(previous_revenue as numeric(18, 2)) as previous_revenue,
        cast(revenue_growth as numeric(18, 4)) as revenue_growth,
        cast(recent_revenue_share as numeric(10, 6)) as recent_revenue_share,
        cast(share_growth as numeric(18, 4)) as share_growth,
        cast(product_status as varchar) as product_status,
        cast({{ product_marketing_recommendation('product_status') }} as varchar) as marketing_recommendation,
        {%- for method in methods %}
        cast({{ safe_divide(method ~ '_revenue', 'paid_revenue') }} as numeric(10, 6)) as payment_share_{{ method }},
        {%- endfor %}
        cast(
            {{ safe_divide('(' ~ promotional_methods | join('_revenue + ') ~ '_revenue)', 'paid_revenue') }}
            as numeric(10, 6)
        ) as promotional_dependency,
        cast(top_cross_sell_product_id as varchar) as top_cross_sell_product_id,
        cast(top_cross_sell_orders_together as bigint) as top_cross_sell_orders_together,
        cast(top_cross_sell_confidence as numeric(10, 6)) as top_cross_sell_confidence,
        cast(top_cross_sell_lift as numeric(18, 4)) as top_cross_sell_lift
    from statused
)

select * from final
