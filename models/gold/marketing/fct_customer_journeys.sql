{#-
    Customer journeys (grain: journey), two kinds:
      conversion  every completed order, with the customer's touches in the
                  attribution lookback before it (var attribution_lookback_days,
                  30: converted_at - 30 days < touched_at <= converted_at). The
                  touches are those fct_attribution credits under the linear model
                  (every touch of the window, so the window is defined once, in
                  macro multi_touch_attribution). An order without a touch in the
                  window has the path 'Unattributed' (as in fct_attribution) and
                  0 touches.
      open        every customer with touches but no completed order: all their
                  touches up to as_of (fct_touchpoints), a journey that has not
                  converted (yet).
    The path: macro journey_path (channels in order, consecutive repeats
    collapsed, joined by ' > ').
-#}

with

orders as (
    select
        order_id,
        customer360_id,
        ordered_at,
        order_value,
        completed_order_number
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

conversion_touches as (
    select
        'order:' || order_id as journey_id,
        touchpoint_id,
        touched_at,
        channel
    from {{ ref('fct_attribution') }}
    where attribution_model = 'linear' and touchpoint_id is not null
),

converted_customers as (
    select distinct customer360_id from orders
),

open_touches as (
    select
        'open:' || touchpoints.customer360_id as journey_id,
        touchpoints.customer360_id,
        touchpoints.touchpoint_id,
        touchpoints.touched_at,
        touchpoints.channel
    from {{ ref('fct_touchpoints') }} as touchpoints
    left join converted_customers on touchpoints.customer360_id = converted_customers.customer360_id
    where converted_customers.customer360_id is null
),

journey_touches as (
    select
        journey_id,
        touchpoint_id,
        touched_at,
        channel
    from conversion_touches
    union all
    select
        journey_id,
        touchpoint_id,
        touched_at,
        channel
    from open_touches
),

paths as (
    {{ journey_path('journey_touches') }}
),

conversion_journeys as (
    select
        'order:' || orders.order_id as journey_id,
        orders.customer360_id,
        'conversion' as journey_type,
        true as is_converted,
        orders.order_id,
        orders.completed_order_number = 1 as is_first_order,
        orders.ordered_at as converted_at,
        orders.order_value as revenue
    from orders
),

open_journeys as (
    select distinct
        journey_id,
        customer360_id,
        'open' as journey_type,
        false as is_converted,
        cast(null as {{ dbt.type_string() }}) as order_id,
        false as is_first_order,
        cast(null as {{ dbt.type_timestamp() }}) as converted_at,
        cast(null as {{ dbt.type_numeric() }}) as revenue
    from open_touches
),

journeys as (
    select * from conversion_journeys
    union all
    select * from open_journeys
),

final as (
    select
        cast(journeys.journey_id as varchar) as journey_id,
        cast(journeys.customer360_id as varchar) as customer360_id,
        cast(journeys.journey_type as varchar) as journey_type,
        cast(journeys.is_converted as boolean) as is_converted,
        cast(journeys.order_id as varchar) as order_id,
        cast(journeys.is_first_order as boolean) as is_first_order,
        cast(coalesce(paths.touch_path, 'Unattributed') as varchar) as touch_path,
        cast(coalesce(paths.touches, 0) as integer) as touches,
        cast(coalesce(paths.path_steps, 0) as integer) as path_steps,
        cast(coalesce(paths.distinct_channels, 0) as integer) as distinct_channels,
        cast(coalesce(paths.first_touch_channel, 'Unattributed') as varchar) as first_touch_channel,
        cast(coalesce(paths.last_touch_channel, 'Unattributed') as varchar) as last_touch_channel,
        cast(paths.first_touched_at as timestamp) as first_touched_at,
        cast(paths.last_touched_at as timestamp) as last_touched_at,
        cast(journeys.converted_at as timestamp) as converted_at,
        cast(coalesce(journeys.converted_at, paths.last_touched_at) as timestamp) as journey_ended_at,
        cast(
            {{ dbt.datediff('paths.first_touched_at', 'journeys.converted_at', 'second') }} / 86400.0
            as {{ type_double() }}
        ) as days_to_convert,
        cast(journeys.revenue as numeric(18, 2)) as revenue
    from journeys
    left join paths on journeys.journey_id = paths.journey_id
)

select * from final
