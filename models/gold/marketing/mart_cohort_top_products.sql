{#-
    Top products by cohort (spec 002, mart_customer_cohorts "key insights"): for
    each monthly cohort of mart_customer_cohorts (customers grouped by the month of
    their first completed order), the products that brought it in: the
    products of the cohort's completed orders in its first month (month 0),
    ranked by revenue (ties by product_id), the top var
    cohort_top_products_n (3). buyer_share = cohort members who bought the
    product in month 0 / cohort size; revenue_share = its share of the
    cohort's month-0 line revenue. Grain: cohort month x rank.
-#}

with

completed_orders as (
    select
        order_id,
        customer360_id,
        cast({{ dbt.date_trunc('month', 'ordered_at') }} as date) as order_month
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

cohort_members as (
    select
        customer360_id,
        min(order_month) as cohort_month
    from completed_orders
    group by customer360_id
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_size
    from cohort_members
    group by cohort_month
),

first_month_lines as (
    select
        cohort_members.cohort_month,
        cohort_members.customer360_id,
        lines.product_id,
        lines.quantity,
        lines.line_revenue
    from {{ ref('slv_product_order_lines') }} as lines
    inner join completed_orders on lines.order_id = completed_orders.order_id
    inner join cohort_members
        on
            completed_orders.customer360_id = cohort_members.customer360_id
            and completed_orders.order_month = cohort_members.cohort_month
),

by_product as (
    select
        cohort_month,
        product_id,
        count(distinct customer360_id) as buyers,
        sum(quantity) as units,
        sum(line_revenue) as revenue
    from first_month_lines
    group by cohort_month, product_id
),

ranked as (
    select
        *,
        row_number() over (partition by cohort_month order by revenue desc, product_id asc) as product_rank,
        sum(revenue) over (partition by cohort_month) as cohort_revenue
    from by_product
),

products as (
    select
        product_id,
        product_name,
        category
    from {{ ref('slv_products') }}
),

final as (
    select
        cast(cast(ranked.cohort_month as {{ dbt.type_string() }}) || '|' || ranked.product_id as varchar)
            as cohort_product_key,
        cast(ranked.cohort_month as date) as cohort_month,
        cast(ranked.product_rank as integer) as product_rank,
        cast(ranked.product_id as varchar) as product_id,
        cast(products.product_name as varchar) as product_name,
        cast(products.category as varchar) as category,
        cast(ranked.buyers as integer) as buyers,
        cast({{ safe_divide('ranked.buyers', 'cohort_sizes.cohort_size') }} as numeric(7, 4)) as buyer_share,
        cast(ranked.units as integer) as units,
        cast(ranked.revenue as numeric(18, 2)) as revenue,
        cast({{ safe_divide('ranked.revenue', 'ranked.cohort_revenue') }} as numeric(7, 4)) as revenue_share
    from ranked
    inner join cohort_sizes on ranked.cohort_month = cohort_sizes.cohort_month
    left join products on ranked.product_id = products.product_id
    where ranked.product_rank <= {{ var('cohort_top_products_n') }}
)

select * from final
