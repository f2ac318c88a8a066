{#-
    The journey stage of every customer at as_of (grain: customer), the last
    stage they entered in fct_journey_stage_transitions, with the time they
    entered each stage. The rules (fct_journey_stage_transitions, macro
    journey_stages), the highest milestone reached up to as_of:
      awareness      touched (fct_touchpoints), no product interest yet
      consideration  viewed a product, added to cart or started a checkout;
                     no completed order
      purchase       exactly one completed order
      retention      two or more completed orders
      advocacy       an NPS promoter (9-10) response on or after the first
                     completed order
    Customers without any milestone (no touch, product interest or order) are
    not in it.
-#}

with

transitions as (
    select * from {{ ref('fct_journey_stage_transitions') }}
),

latest as (
    select
        customer360_id,
        to_stage,
        to_stage_order,
        from_stage,
        transitioned_at,
        row_number() over (partition by customer360_id order by to_stage_order desc) as recency
    from transitions
),

entered as (
    select
        customer360_id,
        count(*) as stages_entered,
        min(transitioned_at) as journey_started_at,
        max(case when to_stage = 'awareness' then transitioned_at end) as awareness_at,
        max(case when to_stage = 'consideration' then transitioned_at end) as consideration_at,
        max(case when to_stage = 'purchase' then transitioned_at end) as purchase_at,
        max(case when to_stage = 'retention' then transitioned_at end) as retention_at,
        max(case when to_stage = 'advocacy' then transitioned_at end) as advocacy_at
    from transitions
    group by customer360_id
),

final as (
    select
        cast(latest.customer360_id as varchar) as customer360_id,
        cast(latest.to_stage as varchar) as journey_stage,
        cast(latest.to_stage_order as integer) as stage_order,
        cast(latest.from_stage as varchar) as previous_stage,
        cast(latest.transitioned_at as timestamp) as stage_entered_at,
        cast({{ dbt.datediff('latest.transitioned_at', as_of_timestamp(), 'day') }} as integer) as days_in_stage,
        cast(entered.journey_started_at as timestamp) as journey_started_at,
        cast(entered.stages_entered as integer) as stages_entered,
        cast(entered.awareness_at as timestamp) as awareness_at,
        cast(entered.consideration_at as timestamp) as consideration_at,
        cast(entered.purchase_at as timestamp) as purchase_at,
        cast(entered.retention_at as timestamp) as retention_at,
        cast(entered.advocacy_at as timestamp) as advocacy_at
    from latest
    inner join entered on latest.customer360_id = entered.customer360_id
    where latest.recency = 1
)

select * from final
