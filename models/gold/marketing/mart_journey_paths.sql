{#-
    The journey paths ranked (grain: touch path, e.g. 'Paid Search > Email > Direct'),
    from fct_customer_journeys: journeys that followed the path (conversions and
    open journeys), conversions, conversion rate, mean time to convert and
    revenue. path_rank 1 = the path most journeys followed (ties: more
    conversions first, then by path). Orders without a touch in the lookback are
    the path 'Unattributed'.
-#}

with

journeys as (
    select * from {{ ref('fct_customer_journeys') }}
),

paths as (
    select
        touch_path,
        max(path_steps) as path_steps,
        max(first_touch_channel) as first_touch_channel,
        max(last_touch_channel) as last_touch_channel,
        count(*) as journeys,
        sum(case when is_converted then 1 else 0 end) as conversions,
        sum(case when is_converted then 0 else 1 end) as open_journeys,
        sum(case when is_converted and is_first_order then 1 else 0 end) as first_order_conversions,
        avg(case when is_converted then touches end) as avg_touches_per_conversion,
        avg(days_to_convert) as avg_days_to_convert,
        coalesce(sum(revenue), 0) as revenue
    from journeys
    group by touch_path
),

totals as (
    select
        sum(conversions) as total_conversions,
        sum(revenue) as total_revenue
    from paths
),

final as (
    select
        cast(paths.touch_path as varchar) as touch_path,
        cast(
            row_number() over (order by paths.journeys desc, paths.conversions desc, paths.touch_path asc) as integer
        ) as path_rank,
        cast(paths.path_steps as integer) as path_steps,
        cast(paths.first_touch_channel as varchar) as first_touch_channel,
        cast(paths.last_touch_channel as varchar) as last_touch_channel,
        cast(paths.journeys as integer) as journeys,
        cast(paths.conversions as integer) as conversions,
        cast(paths.open_journeys as integer) as open_journeys,
        cast(paths.first_order_conversions as integer) as first_order_conversions,
        cast({{ safe_divide('paths.conversions', 'paths.journeys') }} as {{ type_double() }}) as conversion_rate,
        cast({{ safe_divide('paths.conversions', 'totals.total_conversions') }} as {{ type_double() }})
            as share_of_conversions,
        cast(paths.avg_touches_per_conversion as {{ type_double() }}) as avg_touches_per_conversion,
        cast(paths.avg_days_to_convert as {{ type_double() }}) as avg_days_to_convert,
        cast(paths.revenue as numeric(18, 2)) as revenue,
        cast({{ safe_divide('paths.revenue', 'paths.conversions') }} as numeric(18, 2)) as average_order_value,
        cast({{ safe_divide('paths.revenue', 'totals.total_revenue') }} as {{ type_double() }}) as share_of_revenue
    from paths
    cross join totals
)

select * from final
