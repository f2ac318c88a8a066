{#-
    RFM of every customer with at least one completed order (up to as_of, inside
    the retention window, as slv_customer_orders holds them): recency, frequency
    and monetary value, their scores 1..var rfm_bins (macro rfm_scores: quantiles
    by rank, equal values share a score) and the segment of the first matching
    rule of the seed rfm_segment_rules (macro rfm_assign_segment; no match:
    var rfm_fallback_segment). One computation for mart_customer_segmentation (gold),
    slv_customer_states.rfm_segment (SCD2 history) and dim_customer.primary_segment.
-#}

with

completed_orders as (
    select
        customer360_id,
        ordered_at,
        order_value
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

rules as (
    select
        priority,
        segment,
        r_min,
        r_max,
        f_min,
        f_max,
        m_min,
        m_max,
        recommended_action
    from {{ ref('rfm_segment_rules') }}
),

scored as (
    {{ rfm_scores('completed_orders', 'customer360_id', 'ordered_at', 'order_value') }}
),

segmented as (
    {{ rfm_assign_segment('scored', 'rules', 'customer360_id') }}
),

final as (
    select
        customer360_id,
        first_order_at,
        last_order_at,
        recency_days,
        frequency,
        -- a typed sum: on Postgres sum() drops the scale of numeric(28, 6)
        cast(monetary as {{ dbt.type_numeric() }}) as monetary,
        r_score,
        f_score,
        m_score,
        rfm_score,
        rfm_segment,
        rfm_segment_priority,
        recommended_action
    from segmented
)

select * from final
