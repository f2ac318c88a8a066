{#-
    Product-category affinity per customer: one row per customer and category
    the customer bought or looked at (up to as_of, within retention), with a
    score = sum over signals of signal weight x count (var interest_signal_weights:
    units bought in completed orders 3, add_to_cart 2, product_view 1), the
    category's share of the customer's total score (0-1, the weights of
    dim_customer.recommendation_vector) and its rank (1 = strongest; ties by
    category name). dim_customer.interests are the top var interest_top_n.
-#}
{%- set weights = var('interest_signal_weights') -%}

with

products as (
    select
        product_id,
        category
    from {{ ref('slv_products') }}
    where category is not null
),

purchases as (
    select
        orders.customer360_id,
        products.category,
        {{ weights['purchase'] }} * items.quantity as signal_score
    from {{ ref('slv_customer_orders') }} as orders
    inner join {{ ref('slv_order_lines') }} as items on orders.order_id = items.order_id
    inner join products on items.product_id = products.product_id
    where orders.is_completed
),

browsing as (
    select
        events.customer360_id,
        products.category,
        case events.event_type
            when 'add_to_cart' then {{ weights['add_to_cart'] }}
            else {{ weights['product_view'] }}
        end as signal_score
    from {{ ref('slv_customer_events') }} as events
    inner join products on events.product_id = products.product_id
    where events.event_type in ('add_to_cart', 'product_view')
),

signals as (
    select * from purchases
    union all
    select * from browsing
),

scored as (
    select
        customer360_id,
        category,
        sum(signal_score) as interest_score
    from signals
    group by customer360_id, category
),

final as (
    select
        customer360_id,
        category,
        interest_score,
        cast(
            round(
                cast(interest_score as {{ dbt.type_numeric() }})
                / sum(interest_score) over (partition by customer360_id),
                4
            ) as {{ dbt.type_numeric() }}
        ) as interest_weight,
        row_number() over (partition by customer360_id order by interest_score desc, category asc) as interest_rank
    from scored
)

select * from final
