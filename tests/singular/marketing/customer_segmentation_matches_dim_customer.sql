{{ config(tags=['marketing', 'rfm']) }}
{#-
    Every customer of mart_customer_segmentation has its RFM segment as dim_customer.primary_segment and the same
    completed orders and revenue; every dim_customer with a completed order is segmented. Rows returned =
    disagreements.
-#}

with

segmentation as (
    select
        customer360_id,
        rfm_segment,
        total_orders,
        total_revenue
    from {{ ref('mart_customer_segmentation') }}
),

customers as (
    select
        customer360_id,
        primary_segment,
        orders_count,
        total_revenue
    from {{ ref('dim_customer') }}
    where orders_count > 0
)

select
    coalesce(segmentation.customer360_id, customers.customer360_id) as customer360_id,
    segmentation.rfm_segment,
    customers.primary_segment,
    segmentation.total_orders,
    customers.orders_count
from segmentation
full outer join customers
    on segmentation.customer360_id = customers.customer360_id
where
    segmentation.customer360_id is null
    or customers.customer360_id is null
    or customers.primary_segment <> {{ customer_segment_code_sql('rfm', 'segmentation.rfm_segment') }}
    or customers.orders_count <> segmentation.total_orders
    or customers.total_revenue <> segmentation.total_revenue
