{#-
    Every campaign (DDA "Campaign") in its current accepted version that has
    not ended before the retention cutoff (GEN-03; one without an end date
    stays): one row per campaign_id. Budgets are in the reporting currency (the marketing
    platform reports in one currency).
-#}

with

campaigns as (
    select
        campaign_id,
        campaign_name,
        campaign_type,
        target_audience,
        status,
        utm_campaign,
        budget,
        start_date,
        end_date
    from {{ ref('brz_marketing__campaigns') }}
    where
        _is_current
        and (end_date is null or end_date >= cast({{ retention_cutoff() }} as date))
)

select * from campaigns
