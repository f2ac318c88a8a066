{#-
    Channel performance under every attribution model, side by side (grain:
    attribution model x channel): attributed conversions (sum of credits) and
    revenue, first-order conversions, touches, spend (cost of the campaigns of
    the channel's campaign types, seed channel_taxonomy, from the
    accepted daily metrics before as_of, slv_campaign_daily_metrics), ROAS, CPA, conversion rate and the
    channel efficiency score:

      efficiency = 100 x (w_cr x CR / max CR + w_aov x AOV / max AOV
                          + w_acq x ACQ / max ACQ)
      CR  = attributed conversions / touches of the channel
      AOV = attributed revenue / attributed conversions
      ACQ = share of the attributed conversions that were first orders
      max over the channels of the same model; weights var
      channel_efficiency_weights (0.4 / 0.3 / 0.3); a missing factor counts 0.

    classification: High performer (>= 70), Steady (>= 40), Underperformer;
    'Unattributed' (conversions without a touch) is not classified.
    The recommendation rests on attributed orders (recommendation_basis): ROAS = attributed revenue /
    spend and the efficiency score. The platforms' own figures for the channel's campaigns
    (platform_conversions, platform_revenue, platform_roas, platform_revenue_gap_ratio = platform /
    attributed revenue, macro platform_gap_ratio) stand beside it, never in it: a channel the orders say
    to cut while its platform claims ROAS >= 1 says so in the recommendation.
    Amounts and ratios are rounded by the cast to their scaled numeric type
    (round() on a double is not portable: Postgres has no round(double, int)).
-#}

{%- set weights = var('channel_efficiency_weights') %}

with

attribution as (
    select * from {{ ref('fct_attribution') }}
),

touches as (
    select
        channel,
        count(*) as touches
    from {{ ref('fct_touchpoints') }}
    group by channel
),

campaign_channels as (
    select
        value as campaign_type,
        channel
    from {{ ref('channel_taxonomy') }}
    where signal = 'campaign_type'
),

spend as (
    select
        campaign_channels.channel,
        sum(metrics.cost) as spend,
        sum(metrics.conversions) as platform_conversions,
        sum(metrics.revenue) as platform_revenue
    from {{ ref('slv_campaign_daily_metrics') }} as metrics
    inner join campaign_channels on metrics.campaign_type = campaign_channels.campaign_type
    group by campaign_channels.channel
),

by_channel as (
    select
        attribution_model,
        channel,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue,
        sum(case when is_first_order then credit else 0 end) as attributed_first_orders
    from attribution
    group by attribution_model, channel
),

metrics as (
    select
        by_channel.attribution_model,
        by_channel.channel,
        by_channel.attributed_conversions,
        by_channel.attributed_revenue,
        by_channel.attributed_first_orders,
        coalesce(touches.touches, 0) as touches,
        coalesce(spend.spend, 0) as spend,
        spend.platform_conversions,
        spend.platform_revenue,
        {{ safe_divide('spend.platform_revenue', 'spend.spend') }} as platform_roas,
        {{ platform_gap_ratio('spend.platform_revenue', 'by_channel.attributed_revenue') }} as revenue_gap_ratio,
        {{ safe_divide('by_channel.attributed_conversions', 'touches.touches') }} as conversion_rate,
        {{ safe_divide('by_channel.attributed_revenue', 'by_channel.attributed_conversions') }}
            as average_order_value,
        {{ safe_divide('by_channel.attributed_first_orders', 'by_channel.attributed_conversions') }}
            as acquisition_share,
        {{ safe_divide('by_channel.attributed_revenue', 'spend.spend') }} as roas,
        {{ safe_divide('spend.spend', 'by_channel.attributed_conversions') }} as cpa
    from by_channel
    left join touches on by_channel.channel = touches.channel
    left join spend on by_channel.channel = spend.channel
),

scaled as (
    select
        *,
        max(conversion_rate) over (partition by attribution_model) as max_conversion_rate,
        max(average_order_value) over (partition by attribution_model) as max_average_order_value,
        max(acquisition_share) over (partition by attribution_model) as max_acquisition_share
    from metrics
),

parts as (
    select
        *,
        {{ weights['conversion_rate'] }}
        * coalesce({{ safe_divide('conversion_rate', 'max_conversion_rate') }}, 0) as conversion_rate_part,
        {{ weights['average_order_value'] }}
        * coalesce({{ safe_divide('average_order_value', 'max_average_order_value') }}, 0) as order_value_part,
        {{ weights['acquisition'] }}
        * coalesce({{ safe_divide('acquisition_share', 'max_acquisition_share') }}, 0) as acquisition_part
    from scaled
),

scored as (
    select
        *,
        case
            when channel <> 'Unattributed'
                then 100 * (conversion_rate_part + order_value_part + acquisition_part)
        end as channel_efficiency_score
    from parts
),

final as (
    select
        cast(attribution_model || '|' || channel as varchar) as marketing_attribution_id,
        cast(attribution_model as varchar) as attribution_model,
        cast(channel as varchar) as attribution_channel,
        cast(attributed_conversions as numeric(18, 4)) as total_conversions,
        cast(attributed_revenue as numeric(18, 2)) as total_revenue,
        cast(attributed_first_orders as numeric(18, 4)) as first_order_conversions,
        cast(touches as integer) as touches,
        cast(spend as numeric(18, 2)) as spend,
        cast(conversion_rate as numeric(10, 4)) as conversion_rate,
        cast(average_order_value as numeric(18, 2)) as average_order_value,
        cast(roas as numeric(18, 4)) as roas,
        cast(cpa as numeric(18, 2)) as cpa,
        cast(channel_efficiency_score as numeric(5, 1)) as channel_efficiency_score,
        cast(
            case
                when channel_efficiency_score is null then null
                when channel_efficiency_score >= 70 then 'High performer'
                when channel_efficiency_score >= 40 then 'Steady'
                else 'Underperformer'
            end as varchar
        ) as channel_classification,
        cast(
            case
                when channel = 'Unattributed' then 'Find the touches: conversions with no tracked touch in the window'
                when spend > 0 and roas < 1 and platform_roas >= 1
                    then 'Cut or rework: spend exceeds the revenue attributed, although the platform reports it pays back (reconcile: mart_platform_vs_orders)'
                when spend > 0 and roas < 1 then 'Cut or rework: spend exceeds the revenue attributed'
                when channel_efficiency_score >= 70 and spend > 0 then 'Scale budget: efficient paid channel'
                when channel_efficiency_score >= 70 then 'Protect and grow: efficient unpaid channel'
                when channel_efficiency_score >= 40 then 'Optimise: test creatives, targeting and landing pages'
                else 'Review: few conversions for the touches it gets'
            end as varchar
        ) as optimization_recommendation,
        cast('attributed orders' as varchar) as recommendation_basis,
        cast(platform_conversions as bigint) as platform_conversions,
        cast(platform_revenue as numeric(18, 2)) as platform_revenue,
        cast(platform_roas as numeric(18, 4)) as platform_roas,
        cast(revenue_gap_ratio as numeric(18, 4)) as platform_revenue_gap_ratio
    from scored
)

select * from final
