{#-
    DDA common query 1: customer lifetime value by segment.

    Every customer of dim_customer by primary segment (dim_customer_segment: the RFM segment for customers with a
    completed order, the CRM segment for the others): customers, share of all customers, lifetime value (total and
    average: revenue to date plus the predicted next year, dim_customer.lifetime_value), revenue to date and
    completed orders per customer, in the catalogue's display order.
-#}

with

customers as (
    select
        customer360_id,
        primary_segment,
        lifetime_value,
        total_revenue,
        orders_count
    from {{ ref('dim_customer') }}
),

segments as (
    select
        segment_code,
        segment_family,
        segment_name,
        sort_order
    from {{ ref('dim_customer_segment') }}
),

final as (
    select
        segments.segment_family,
        segments.segment_name,
        customers.primary_segment as segment_code,
        count(*) as customers,
        cast(count(*) as {{ dbt.type_numeric() }}) / sum(count(*)) over () as share_of_customers,
        sum(customers.lifetime_value) as total_lifetime_value,
        avg(customers.lifetime_value) as avg_lifetime_value,
        avg(customers.total_revenue) as avg_revenue_to_date,
        avg(customers.orders_count) as avg_completed_orders,
        min(segments.sort_order) as sort_order
    from customers
    inner join segments on customers.primary_segment = segments.segment_code
    group by segments.segment_family, segments.segment_name, customers.primary_segment
)

select
    segment_family,
    segment_name,
    segment_code,
    customers,
    share_of_customers,
    total_lifetime_value,
    avg_lifetime_value,
    avg_revenue_to_date,
    avg_completed_orders
from final
order by sort_order
