{#-
    Every support ticket in its current accepted version, opened up to as_of
    and within the retention window (GEN-03): one row per ticket_id. A
    resolution after as_of is not known yet (resolved_at null: still open).
-#}

with

tickets as (
    select
        ticket_id,
        customer_id,
        opened_at,
        case when resolved_at <= {{ as_of_timestamp() }} then resolved_at end as resolved_at,
        channel,
        category,
        priority,
        csat_score,
        is_first_contact_resolution
    from {{ ref('brz_support__tickets') }}
    where
        _is_current
        and {{ within_retention_window('opened_at') }}
)

select * from tickets
