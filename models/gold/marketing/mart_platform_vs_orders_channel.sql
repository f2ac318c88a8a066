{#-
    mart_platform_vs_orders rolled up per channel (grain: channel of the campaign's type, seed
    channel_taxonomy; 'Unclassified' = metrics of campaigns whose record was rejected): platform-reported
    conversions and revenue, cost, attributed conversions and revenue (same attribution model), the gap
    ratios and statuses (macros platform_gap_ratio / platform_gap_status, on the sums) and ROAS on both
    bases. Ratios are recomputed from the sums, never averaged over days.
-#}

with

daily as (
    select * from {{ ref('mart_platform_vs_orders') }}
),

by_channel as (
    select
        channel,
        attribution_model,
        count(distinct campaign_id) as campaigns,
        count(*) as campaign_days,
        sum(case when is_over_reported then 1 else 0 end) as over_reported_days,
        sum(platform_conversions) as platform_conversions,
        sum(platform_revenue) as platform_revenue,
        sum(cost) as cost,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from daily
    group by channel, attribution_model
),

final as (
    select
        cast(channel as varchar) as channel,
        cast(attribution_model as varchar) as attribution_model,
        cast(campaigns as integer) as campaigns,
        cast(campaign_days as integer) as campaign_days,
        cast(over_reported_days as integer) as over_reported_days,
        cast(platform_conversions as bigint) as platform_conversions,
        cast(platform_revenue as numeric(18, 2)) as platform_revenue,
        cast(cost as numeric(18, 2)) as cost,
        cast(attributed_conversions as numeric(18, 4)) as attributed_conversions,
        cast(attributed_revenue as numeric(18, 2)) as attributed_revenue,
        cast({{ platform_gap_ratio('platform_conversions', 'attributed_conversions') }} as numeric(18, 4))
            as conversion_gap_ratio,
        cast({{ platform_gap_ratio('platform_revenue', 'attributed_revenue') }} as numeric(18, 4))
            as revenue_gap_ratio,
        cast({{ platform_gap_status('platform_conversions', 'attributed_conversions') }} as varchar)
            as conversion_gap_status,
        cast({{ platform_gap_status('platform_revenue', 'attributed_revenue') }} as varchar)
            as revenue_gap_status,
        cast({{ platform_is_over_reported('platform_conversions', 'attributed_conversions', 'platform_revenue', 'attributed_revenue') }} as boolean)
            as is_over_reported,
        cast({{ safe_divide('platform_revenue', 'cost') }} as numeric(18, 4)) as platform_roas,
        cast({{ safe_divide('attributed_revenue', 'cost') }} as numeric(18, 4)) as attributed_roas
    from by_channel
)

select * from final
