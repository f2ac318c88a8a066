{{ config(tags=['marketing', 'platform_vs_orders']) }}
-- mart_platform_vs_orders loses and doubles nothing: its platform totals equal the accepted daily metrics
-- (slv_campaign_daily_metrics) and its attributed totals the campaign credits of fct_attribution under the
-- comparison model on days before as_of; the channel roll-up adds up to the daily mart. Returns the sides
-- that do not agree (to the cent / 0.0001 credit).

with

daily as (
    select
        sum(platform_conversions) as platform_conversions,
        sum(platform_revenue) as platform_revenue,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from {{ ref('mart_platform_vs_orders') }}
),

channel as (
    select
        sum(platform_conversions) as platform_conversions,
        sum(platform_revenue) as platform_revenue,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from {{ ref('mart_platform_vs_orders_channel') }}
),

metrics as (
    select
        sum(conversions) as platform_conversions,
        sum(revenue) as platform_revenue
    from {{ ref('slv_campaign_daily_metrics') }}
),

credits as (
    select
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from {{ ref('fct_attribution') }}
    where
        attribution_model = '{{ var("platform_comparison_attribution_model") }}'
        and campaign_id is not null
        and cast(touched_at as date) >= cast({{ retention_cutoff() }} as date)
        and cast(touched_at as date) < {{ as_of_date() }}
),

sides as (
    select
        'platform vs slv_campaign_daily_metrics' as check_name,
        daily.platform_conversions - metrics.platform_conversions as conversions_difference,
        daily.platform_revenue - metrics.platform_revenue as revenue_difference
    from daily cross join metrics
    union all
    select
        'attributed vs fct_attribution' as check_name,
        daily.attributed_conversions - credits.attributed_conversions as conversions_difference,
        daily.attributed_revenue - credits.attributed_revenue as revenue_difference
    from daily cross join credits
    union all
    select
        'channel roll-up vs daily (platform)' as check_name,
        channel.platform_conversions - daily.platform_conversions as conversions_difference,
        channel.platform_revenue - daily.platform_revenue as revenue_difference
    from daily cross join channel
    union all
    select
        'channel roll-up vs daily (attributed)' as check_name,
        channel.attributed_conversions - daily.attributed_conversions as conversions_difference,
        channel.attributed_revenue - daily.attributed_revenue as revenue_difference
    from daily cross join channel
)

select * from sides
where
    abs(coalesce(conversions_difference, 0)) > 0.0001
    -- attributed revenue is rounded to the cent per campaign day in the mart: at most half a cent per row
    or abs(coalesce(revenue_difference, 0)) > 0.01 + 0.005 * (select count(*) from {{ ref('mart_platform_vs_orders') }})
