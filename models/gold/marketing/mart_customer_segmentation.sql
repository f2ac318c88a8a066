{#-
    RFM segmentation (spec 002, mart_customer_segmentation): one row per customer360_id
    with at least one completed order, with recency, frequency, monetary value,
    their scores 1..var rfm_bins, the RFM segment and its recommended action
    (slv_customer_rfm: macros rfm_scores and rfm_assign_segment, seed
    rfm_segment_rules), and the customer's order totals.
-#}

with

rfm as (
    select * from {{ ref('slv_customer_rfm') }}
),

final as (
    select
        cast(customer360_id as varchar) as customer360_id,
        cast(recency_days as integer) as recency_days,
        cast(frequency as integer) as frequency,
        cast(monetary as numeric(18, 2)) as monetary,
        cast(r_score as integer) as r_score,
        cast(f_score as integer) as f_score,
        cast(m_score as integer) as m_score,
        cast(rfm_score as varchar) as rfm_score,
        cast(rfm_segment as varchar) as rfm_segment,
        cast(rfm_segment_priority as integer) as rfm_segment_priority,
        cast(recommended_action as varchar) as recommended_action,
        cast(monetary as numeric(18, 2)) as total_revenue,
        cast(frequency as integer) as total_orders,
        cast(monetary / frequency as numeric(18, 2)) as avg_order_value,
        cast(first_order_at as timestamp) as first_order_at,
        cast(last_order_at as timestamp) as last_order_at,
        cast(first_order_at as date) as first_order_date,
        cast(last_order_at as date) as last_order_date
    from rfm
)

select * from final
