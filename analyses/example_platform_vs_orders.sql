-- Platform figures against orders: per channel, what the ad platforms report next to what the completed orders
-- attributed to the same campaigns show (mart_platform_vs_orders_channel, model var
-- platform_comparison_attribution_model), then the campaigns whose platform over-reports the most revenue
-- (ratios recomputed from sums over the campaign's days, never averaged).

with

campaigns as (
    select
        channel,
        campaign_id,
        campaign_name,
        sum(platform_conversions) as platform_conversions,
        sum(attributed_conversions) as attributed_conversions,
        sum(platform_revenue) as platform_revenue,
        sum(attributed_revenue) as attributed_revenue,
        sum(case when is_over_reported then 1 else 0 end) as over_reported_days,
        count(*) as campaign_days
    from {{ ref('mart_platform_vs_orders') }}
    group by channel, campaign_id, campaign_name
)

select
    channels.channel,
    channels.platform_conversions,
    channels.attributed_conversions,
    channels.conversion_gap_ratio,
    channels.platform_revenue,
    channels.attributed_revenue,
    channels.revenue_gap_ratio,
    channels.revenue_gap_status,
    channels.platform_roas,
    channels.attributed_roas,
    campaigns.campaign_id as most_over_reported_campaign,
    campaigns.campaign_name,
    {{ platform_gap_ratio('campaigns.platform_revenue', 'campaigns.attributed_revenue') }} as campaign_revenue_gap_ratio,
    campaigns.over_reported_days,
    campaigns.campaign_days
from {{ ref('mart_platform_vs_orders_channel') }} as channels
left join campaigns
    on
        channels.channel = campaigns.channel
        and campaigns.campaign_id = (
            select ranked.campaign_id
            from campaigns as ranked
            where ranked.channel = channels.channel and ranked.attributed_revenue > 0
            order by ranked.platform_revenue / ranked.attributed_revenue desc, ranked.campaign_id
            limit 1
        )
order by channels.platform_revenue desc
