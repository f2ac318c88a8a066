{#-
    What the ad platforms report against what the orders show (grain: campaign x day).

    platform side   the campaign's accepted daily metrics (slv_campaign_daily_metrics): conversions and
                    revenue as the platform reports them, and its cost
    attributed side the credits of completed orders to the campaign's touches under one attribution model
                    (var platform_comparison_attribution_model, last_non_direct) from fct_attribution, dated
                    by the day of the credited touch: a platform reports a conversion on the day of the ad
                    interaction (click or view), not of the order
    Days before as_of and within the retention window, both sides; a campaign day with credits but no
    metrics row (e.g. a campaign that stopped reporting) or metrics but no credits is kept, the missing
    side 0. Gap ratio = platform / attributed (macro platform_gap_ratio, null when attributed is 0) and its
    status (macro platform_gap_status, threshold var platform_over_reporting_threshold);
    is_over_reported when either status is over_reported or platform_only (macro platform_is_over_reported).
-#}

{%- set attribution_model = var('platform_comparison_attribution_model') %}

with

platform as (
    select
        campaign_id,
        metric_date,
        conversions,
        revenue,
        cost
    from {{ ref('slv_campaign_daily_metrics') }}
),

attributed as (
    select
        campaign_id,
        cast(touched_at as date) as metric_date,
        count(distinct order_id) as attributed_orders,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from {{ ref('fct_attribution') }}
    where
        attribution_model = '{{ attribution_model }}'
        and campaign_id is not null
        and cast(touched_at as date) >= cast({{ retention_cutoff() }} as date)
        and cast(touched_at as date) < {{ as_of_date() }}
    group by campaign_id, cast(touched_at as date)
),

campaign_days as (
    select
        campaign_id,
        metric_date
    from platform
    union
    select
        campaign_id,
        metric_date
    from attributed
),

campaigns as (
    select
        campaign_id,
        campaign_name,
        campaign_type
    from {{ ref('slv_campaigns') }}
),

campaign_channels as (
    select
        value as campaign_type,
        channel
    from {{ ref('channel_taxonomy') }}
    where signal = 'campaign_type'
),

joined as (
    select
        campaign_days.campaign_id,
        campaign_days.metric_date,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaign_channels.channel,
        platform.campaign_id is not null as has_platform_metrics,
        coalesce(platform.conversions, 0) as platform_conversions,
        coalesce(platform.revenue, 0) as platform_revenue,
        coalesce(platform.cost, 0) as cost,
        coalesce(attributed.attributed_orders, 0) as attributed_orders,
        coalesce(attributed.attributed_conversions, 0) as attributed_conversions,
        coalesce(attributed.attributed_revenue, 0) as attributed_revenue
    from campaign_days
    left join platform
        on campaign_days.campaign_id = platform.campaign_id and campaign_days.metric_date = platform.metric_date
    left join attributed
        on campaign_days.campaign_id = attributed.campaign_id and campaign_days.metric_date = attributed.metric_date
    left join campaigns on campaign_days.campaign_id = campaigns.campaign_id
    left join campaign_channels on campaigns.campaign_type = campaign_channels.campaign_type
),

final as (
    select
        cast({{ dbt.concat(['campaign_id', "':'", 'cast(metric_date as ' ~ dbt.type_string() ~ ')']) }} as varchar)
            as campaign_day_key,
        cast(campaign_id as varchar) as campaign_id,
        cast(metric_date as date) as metric_date,
        cast(campaign_name as varchar) as campaign_name,
        cast(campaign_type as varchar) as campaign_type,
        cast(coalesce(channel, 'Unclassified') as varchar) as channel,
        cast('{{ attribution_model }}' as varchar) as attribution_model,
        cast(has_platform_metrics as boolean) as has_platform_metrics,
        cast(platform_conversions as bigint) as platform_conversions,
        cast(platform_revenue as numeric(18, 2)) as platform_revenue,
        cast(cost as numeric(18, 2)) as cost,
        cast(attributed_orders as integer) as attributed_orders,
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
            as is_over_reported
    from joined
)

select * from final
