{#-
    Multi-touch attribution of every completed order (the conversion, with
    its value as revenue) to the customer's touchpoints in the lookback window
    before it (var attribution_lookback_days, 30), under each model of macro
    multi_touch_attribution: first_touch, last_touch, last_non_direct, linear,
    time_decay (half-life var attribution_half_life_days, 7) and
    position_based (var attribution_position_weights, 40/20/40).
    Grain: conversion x touchpoint x model (touches with no credit under a
    model are left out). A conversion with no touch in the window keeps its
    credit on one row with channel 'Unattributed' and no touchpoint. Credits
    of one conversion sum to 1 under every model (test).
-#}

with

conversions as (
    select
        order_id as conversion_id,
        customer360_id,
        ordered_at as converted_at,
        order_value as revenue,
        completed_order_number = 1 as is_first_order
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

touchpoints as (
    select
        touchpoint_id,
        customer360_id,
        touched_at,
        channel,
        touchpoint_type,
        campaign_id
    from {{ ref('fct_touchpoints') }}
),

attributed as (
    {{ multi_touch_attribution('conversions', 'touchpoints') }}
),

final as (
    select
        cast(
            attributed.conversion_id || '|' || attributed.attribution_model || '|'
            || coalesce(attributed.touchpoint_id, '-') as varchar
        ) as attribution_id,
        cast(attributed.conversion_id as varchar) as order_id,
        cast(attributed.customer360_id as varchar) as customer360_id,
        cast(attributed.converted_at as timestamp) as converted_at,
        cast(attributed.converted_at as date) as conversion_date,
        cast(conversions.is_first_order as boolean) as is_first_order,
        cast(attributed.revenue as numeric(18, 2)) as order_revenue,
        cast(attributed.attribution_model as varchar) as attribution_model,
        cast(attributed.touchpoint_id as varchar) as touchpoint_id,
        cast(attributed.touched_at as timestamp) as touched_at,
        cast(touchpoints.touchpoint_type as varchar) as touchpoint_type,
        cast(coalesce(attributed.channel, 'Unattributed') as varchar) as channel,
        cast(touchpoints.campaign_id as varchar) as campaign_id,
        cast(attributed.path_length as integer) as path_length,
        cast(attributed.touch_position as integer) as touch_position,
        cast(attributed.credit as double precision) as credit,
        cast(attributed.attributed_revenue as double precision) as attributed_revenue
    from attributed
    inner join conversions on attributed.conversion_id = conversions.conversion_id
    left join touchpoints on attributed.touchpoint_id = touchpoints.touchpoint_id
)

select * from final
