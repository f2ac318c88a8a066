{#-
    Transaction fact, one row per order of a served customer (slv_customer_orders
    joined to the customers dim_customer serves): when, through which channel,
    its status and its value, paid and refunded amounts in the reporting
    currency (var reporting_currency) and in the order's own currency.
    Additive: order_value, paid_amount, refund_amount, units, line_count (sum
    them, for completed orders to get revenue); the *_local amounts add up only
    within one currency.
-#}
{#- Postgres serving (issue 13): indexes for the DDA access patterns and the customer lookup. Postgres only:
    dbt-duckdb would create them too, and its drop-and-rename of an indexed table races with other threads. -#}
{%- if target.type == 'postgres' %}{{ config(indexes=[{'columns': ['customer360_id']}, {'columns': ['order_date']}]) }}{% endif %}

with

orders as (
    select * from {{ ref('slv_customer_orders') }}
),

customers as (
    select customer360_id from {{ ref('slv_served_customers') }}
),

final as (
    select
        cast(orders.order_id as varchar) as order_id,
        cast(orders.customer360_id as varchar) as customer360_id,
        cast(orders.ordered_at as timestamp) as ordered_at,
        cast(orders.order_date as date) as order_date,
        cast(orders.status as varchar) as order_status,
        cast(orders.sales_channel as varchar) as sales_channel,
        cast(orders.is_completed as boolean) as is_completed,
        cast(orders.is_refunded as boolean) as is_refunded,
        cast(orders.completed_order_number as integer) as completed_order_number,
        cast(orders.is_reactivation as boolean) as is_reactivation,
        cast(orders.units as integer) as units,
        cast(orders.line_count as integer) as line_count,
        cast(orders.order_value as numeric(18, 2)) as order_value,
        cast(orders.paid_amount as numeric(18, 2)) as paid_amount,
        cast(orders.refund_amount as numeric(18, 2)) as refund_amount,
        cast('{{ var("reporting_currency") }}' as varchar) as reporting_currency,
        cast(orders.currency as varchar) as order_currency,
        cast(orders.order_value_local as numeric(18, 2)) as order_value_local,
        cast(orders.refund_amount_local as numeric(18, 2)) as refund_amount_local
    from orders
    inner join customers on orders.customer360_id = customers.customer360_id
)

select * from final
