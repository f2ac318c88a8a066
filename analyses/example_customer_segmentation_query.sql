-- Spec 002, "Customer Segmentation Query": customers, average revenue and average orders per RFM segment
-- (gold mart_customer_segmentation; the spec's customer_segment is our rfm_segment, as dim_customer.customer_segment
-- is the CRM's segment). Ties in avg_revenue are ordered by segment for a stable result.
select
    rfm_segment as customer_segment,
    count(*) as customer_count,
    avg(total_revenue) as avg_revenue,
    avg(total_orders) as avg_orders
from {{ ref('mart_customer_segmentation') }}
group by rfm_segment
order by avg_revenue desc, customer_segment asc
