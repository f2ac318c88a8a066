-- Spec 002, "Product Performance Dashboard": the A products by revenue rank, with return rate, status and the
-- marketing recommendation (gold mart_product_performance; ABC and status defined in macros/marketing/product_performance.sql).
-- product_id added to the spec's columns: a product whose catalogue record was rejected has no name.
select
    product_id,
    product_name,
    revenue_rank,
    total_revenue,
    return_rate,
    abc_category,
    product_status,
    marketing_recommendation
from {{ ref('mart_product_performance') }}
where abc_category = 'A'
order by revenue_rank
