-- An independent check of the ABC rule on the built mart_product_performance: revenue_rank orders products by revenue
-- (ties by product_id), and each class follows from the revenue ranked ahead of the product and the cut-offs
-- (vars product_abc_a_share, product_abc_b_share). Returns the products that break it.
with

ranked as (
    select
        product_id,
        revenue_rank,
        total_revenue,
        abc_category,
        lag(total_revenue) over (order by revenue_rank) as previous_revenue,
        lag(product_id) over (order by revenue_rank) as previous_product_id,
        coalesce(sum(total_revenue) over (
            order by revenue_rank rows between unbounded preceding and 1 preceding
        ), 0) as preceding_revenue,
        sum(total_revenue) over () as all_revenue
    from {{ ref('mart_product_performance') }}
),

judged as (
    select
        *,
        case
            when total_revenue <= 0 then 'C'
            when preceding_revenue < {{ var('product_abc_a_share') }} * all_revenue then 'A'
            when preceding_revenue < {{ var('product_abc_b_share') }} * all_revenue then 'B'
            else 'C'
        end as expected_category
    from ranked
)

select *
from judged
where
    abc_category <> expected_category
    or total_revenue > previous_revenue
    or (total_revenue = previous_revenue and product_id < previous_product_id)
