{#-
    Campaign roll-up of the attribution (grain: attribution model x campaign):
    conversions and revenue credited to the campaign's touches (ad clicks,
    e-mail opens and clicks, visits carrying its utm_campaign), first-order
    conversions, the campaign's touches and spend (accepted daily
    metrics before as_of, slv_campaign_daily_metrics), ROAS and CPA. Campaigns without a credited
    touch under a model still appear (0 conversions), so spend is never hidden.
-#}

with

attribution as (
    select * from {{ ref('fct_attribution') }}
    where campaign_id is not null
),

models as (
    select distinct attribution_model from {{ ref('fct_attribution') }}
),

campaigns as (
    select
        campaign_id,
        campaign_name,
        campaign_type
    from {{ ref('slv_campaigns') }}
),

touches as (
    select
        campaign_id,
        count(*) as touches
    from {{ ref('fct_touchpoints') }}
    where campaign_id is not null
    group by campaign_id
),

spend as (
    select
        campaign_id,
        sum(cost) as spend
    from {{ ref('slv_campaign_daily_metrics') }}
    group by campaign_id
),

credited as (
    select
        attribution_model,
        campaign_id,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue,
        sum(case when is_first_order then credit else 0 end) as attributed_first_orders
    from attribution
    group by attribution_model, campaign_id
),

final as (
    select
        cast(models.attribution_model || '|' || campaigns.campaign_id as varchar) as campaign_attribution_id,
        cast(models.attribution_model as varchar) as attribution_model,
        cast(campaigns.campaign_id as varchar) as campaign_id,
        cast(campaigns.campaign_name as varchar) as campaign_name,
        cast(campaigns.campaign_type as varchar) as campaign_type,
        cast(coalesce(credited.attributed_conversions, 0) as numeric(18, 4)) as attributed_conversions,
        cast(coalesce(credited.attributed_revenue, 0) as numeric(18, 2)) as attributed_revenue,
        cast(coalesce(credited.attributed_first_orders, 0) as numeric(18, 4)) as first_order_conversions,
        cast(coalesce(touches.touches, 0) as integer) as touches,
        cast(coalesce(spend.spend, 0) as numeric(18, 2)) as spend,
        cast({{ safe_divide('credited.attributed_revenue', 'spend.spend') }} as numeric(18, 4)) as roas,
        cast({{ safe_divide('spend.spend', 'credited.attributed_conversions') }} as numeric(18, 2)) as cpa
    from campaigns
    cross join models
    left join credited
        on models.attribution_model = credited.attribution_model and campaigns.campaign_id = credited.campaign_id
    left join touches on campaigns.campaign_id = touches.campaign_id
    left join spend on campaigns.campaign_id = spend.campaign_id
)

select * from final
