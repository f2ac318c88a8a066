{#-
    Every current daily metrics row of a campaign (DDA "Campaign Performance";
    bronze holds only rows that passed the PRF rules) for the days before
    as_of and within the retention window (GEN-03), with the campaign it
    belongs to.

    PRF-02 rejects a metrics row whose campaign record was rejected (README,
    "Data quality: how a rule is enforced"; bronze's relationships test holds
    it), so every row finds its campaign and is_campaign_accepted is true; the
    left join and the flag only keep a row visible should bronze ever hold an
    orphan.
-#}

with

metrics as (
    select
        performance_id,
        campaign_id,
        metric_date,
        impressions,
        clicks,
        conversions,
        revenue,
        cost
    from {{ ref('brz_marketing__campaign_performance') }}
    where
        _is_current
        and metric_date >= cast({{ retention_cutoff() }} as date)
        and metric_date < {{ as_of_date() }}
),

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
),

final as (
    select
        metrics.performance_id,
        metrics.campaign_id,
        metrics.metric_date,
        campaigns.campaign_id is not null as is_campaign_accepted,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.status as campaign_status,
        campaigns.target_audience,
        campaigns.start_date as campaign_start_date,
        campaigns.end_date as campaign_end_date,
        campaigns.budget as campaign_budget,
        metrics.impressions,
        metrics.clicks,
        metrics.conversions,
        metrics.revenue,
        metrics.cost
    from metrics
    left join campaigns
        on metrics.campaign_id = campaigns.campaign_id
)

select * from final
