{#-
    How each product's sales were paid for: one row per product and payment
    method. Each completed order's revenue per product (slv_product_order_lines,
    in the reporting currency) is spread over the order's successful payments
    (slv_payments) in proportion to their amounts; orders without a successful
    payment, or whose successful payments sum to zero, are not paid and add
    nothing. paid_revenue is rounded to the cent (macro money), so a product's
    shares can differ from exact ones by rounding. mart_product_performance
    pivots it into one column per method.
-#}

with

completed_order_products as (
    -- one row per completed order and product (a product can be on several lines of an order)
    select
        order_id,
        product_id,
        sum(line_revenue) as revenue
    from {{ ref('slv_product_order_lines') }}
    where order_status = 'completed'
    group by order_id, product_id
),

successful_payments as (
    select
        order_id,
        payment_method,
        amount_cents
    from {{ ref('slv_payments') }}
    where status = 'success'
),

order_paid as (
    select
        order_id,
        sum(amount_cents) as paid_cents
    from successful_payments
    group by order_id
),

final as (
    select
        completed_order_products.product_id,
        successful_payments.payment_method,
        count(distinct completed_order_products.order_id) as paid_orders,
        {{ money('sum(completed_order_products.revenue * successful_payments.amount_cents / order_paid.paid_cents)') }}
            as paid_revenue
    from completed_order_products
    inner join successful_payments on completed_order_products.order_id = successful_payments.order_id
    inner join order_paid on completed_order_products.order_id = order_paid.order_id
    where order_paid.paid_cents > 0
    group by completed_order_products.product_id, successful_payments.payment_method
)

select * from final
