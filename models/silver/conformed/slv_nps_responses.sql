{#-
    Every NPS survey response in its current accepted version, up to as_of and
    within the retention window (GEN-03): one row per response_id.
-#}

with

responses as (
    select
        response_id,
        customer_id,
        responded_at,
        nps_score
    from {{ ref('brz_support__nps_responses') }}
    where
        _is_current
        and {{ within_retention_window('responded_at') }}
)

select * from responses
