{#-
    DDA common query 5: the 12-month trend (the DDA's "historical trend" pattern).

    Completed orders of fct_orders per calendar month over the twelve months that end with the month of as_of
    (as_of_date(): the run's reference day; the month of as_of counts up to as_of): orders, buying customers,
    revenue (order value of completed orders, reporting currency), average order value, refunded amount, and
    revenue against the same month's share of the twelve-month total. One row per month with orders.
    scripts/benchmark.py times it on the gold of each engine (issue 13: under 3 s on Postgres).
-#}

with

orders as (
    select
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as order_month,
        customer360_id,
        order_value,
        refund_amount
    from {{ ref('fct_orders') }}
    where
        is_completed
        and order_date >= cast({{ dbt.dateadd('month', -11, dbt.date_trunc('month', as_of_date())) }} as date)
        and ordered_at < {{ as_of_timestamp() }}
),

monthly as (
    select
        order_month,
        count(*) as orders,
        count(distinct customer360_id) as customers,
        sum(order_value) as revenue,
        coalesce(sum(refund_amount), 0) as refunded_amount
    from orders
    group by order_month
),

final as (
    select
        order_month,
        orders,
        customers,
        revenue,
        cast({{ safe_divide('revenue', 'orders') }} as numeric(18, 2)) as avg_order_value,
        refunded_amount,
        cast({{ safe_divide('revenue', 'sum(revenue) over ()') }} as numeric(10, 4)) as share_of_twelve_months
    from monthly
)

select * from final
order by order_month asc
