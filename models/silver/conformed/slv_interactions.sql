{#-
    Every CRM customer interaction (DDA "Customer Interaction") in its current
    accepted version, up to as_of and within the retention window (GEN-03):
    one row per interaction_id.
-#}

with

interactions as (
    select
        interaction_id,
        customer_id,
        interaction_type,
        outcome,
        agent_id,
        duration_minutes,
        interaction_at,
        recorded_at
    from {{ ref('brz_crm__interactions') }}
    where
        _is_current
        and {{ within_retention_window('interaction_at') }}
)

select * from interactions
