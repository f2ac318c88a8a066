-- mart_campaign_performance is the roll-up of fct_campaign_performance_daily: per campaign the same totals and
-- days, and every campaign of the daily fact has its row. Returns the campaigns where they disagree.
with

daily as (
    select
        campaign_id,
        count(*) as metric_days,
        count(case when impressions > 0 then 1 end) as days_active,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(conversions) as conversions,
        sum(revenue) as revenue,
        sum(cost) as cost,
        min(metric_date) as first_metric_date,
        max(metric_date) as last_metric_date
    from {{ ref('fct_campaign_performance_daily') }}
    group by campaign_id
),

summary as (
    select * from {{ ref('mart_campaign_performance') }}
)

select
    coalesce(daily.campaign_id, summary.campaign_id) as campaign_id,
    daily.cost as daily_cost,
    summary.cost as summary_cost
from daily
full outer join summary
    on daily.campaign_id = summary.campaign_id
where
    summary.campaign_id is null
    or (daily.campaign_id is null and summary.metric_days <> 0)
    or daily.metric_days <> summary.metric_days
    or daily.days_active <> summary.days_active
    or daily.impressions <> summary.impressions
    or daily.clicks <> summary.clicks
    or daily.conversions <> summary.conversions
    or daily.revenue <> summary.revenue
    or daily.cost <> summary.cost
    or daily.first_metric_date <> summary.first_metric_date
    or daily.last_metric_date <> summary.last_metric_date
