{#-
    One row per campaign: every current accepted campaign (within the
    retention window: not ended before the cutoff) and, with null attributes,
    a campaign id with accepted metrics but no accepted record (PRF-02 rejects
    such metrics, so there is none). Totals of the daily metrics before as_of, the
    KPIs (macro campaign_kpis, the same formulas as the daily fact) and the
    budget pacing at as_of (macro campaign_budget_pacing):

        elapsed_days  = campaign days from the start up to the day before as_of (0 before the start,
                        at most the planned days)
        budget_pacing = cost / (budget * elapsed_days / planned_days)
-#}

with

campaigns as (
    select
        campaign_id,
        campaign_name,
        campaign_type,
        status,
        target_audience,
        start_date,
        end_date,
        budget
    from {{ ref('slv_campaigns') }}
    where
        (end_date is null or end_date >= cast({{ retention_cutoff() }} as date))
),

metric_totals as (
    select
        campaign_id,
        min(metric_date) as first_metric_date,
        max(metric_date) as last_metric_date,
        count(*) as metric_days,
        count(case when impressions > 0 then 1 end) as days_active,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(conversions) as conversions,
        sum(revenue) as revenue,
        sum(cost) as cost
    from {{ ref('slv_campaign_daily_metrics') }}
    group by campaign_id
),

campaign_ids as (
    select campaign_id from campaigns
    union
    select campaign_id from metric_totals
),

joined as (
    select
        campaign_ids.campaign_id,
        campaigns.campaign_id is not null as is_campaign_accepted,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.status,
        campaigns.target_audience,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.budget,
        metric_totals.first_metric_date,
        metric_totals.last_metric_date,
        coalesce(metric_totals.metric_days, 0) as metric_days,
        coalesce(metric_totals.days_active, 0) as days_active,
        coalesce(metric_totals.impressions, 0) as impressions,
        coalesce(metric_totals.clicks, 0) as clicks,
        coalesce(metric_totals.conversions, 0) as conversions,
        coalesce(metric_totals.revenue, 0) as revenue,
        coalesce(metric_totals.cost, 0) as cost,
        cast({{ dbt.dateadd('day', -1, as_of_date()) }} as date) as last_complete_day
    from campaign_ids
    left join campaigns on campaign_ids.campaign_id = campaigns.campaign_id
    left join metric_totals on campaign_ids.campaign_id = metric_totals.campaign_id
),

final as (
    select
        cast(campaign_id as varchar) as campaign_id,
        cast(is_campaign_accepted as boolean) as is_campaign_accepted,
        cast(campaign_name as varchar) as campaign_name,
        cast(campaign_type as varchar) as campaign_type,
        cast(status as varchar) as campaign_status,
        cast(target_audience as varchar) as target_audience,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(budget as numeric(18, 2)) as budget,
        cast(first_metric_date as date) as first_metric_date,
        cast(last_metric_date as date) as last_metric_date,
        cast({{ campaign_planned_days('start_date', 'end_date') }} as integer) as planned_days,
        cast({{ campaign_elapsed_days('start_date', 'end_date', 'last_complete_day') }} as integer) as elapsed_days,
        cast(metric_days as integer) as metric_days,
        cast(days_active as integer) as days_active,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(conversions as bigint) as conversions,
        cast(revenue as numeric(18, 2)) as revenue,
        cast(cost as numeric(18, 2)) as cost,
        {{ campaign_kpis() }},
        cast({{ safe_divide('cost', 'budget') }} as numeric(18, 4)) as budget_utilization,
        cast(
            {{ campaign_expected_spend('budget', 'start_date', 'end_date', 'last_complete_day') }} as numeric(18, 2)
        ) as expected_spend_to_date,
        cast(
            {{ campaign_budget_pacing('cost', 'budget', 'start_date', 'end_date', 'last_complete_day') }}
            as numeric(18, 4)
        ) as budget_pacing
    from joined
)

select * from final
