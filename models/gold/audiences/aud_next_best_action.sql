{#-
    The next-best-action audiences (GEN-04), one row per customer: the
    customer's rank-1 action of fct_next_best_action, on the channel it was
    chosen for, with the contact point for that channel (e-mail for email,
    E.164 phone for sms, none for push: the app addresses the customer360_id;
    masked outside prod, GEN-06) and the consent that allows it. The audience
    of one action is `where action = '...'`: actions are rows of the rules seed,
    so a new action needs no new model (the three channel audiences are one
    model per consent scope because scopes are fixed by the consent system).
-#}

with

actions as (
    select * from {{ ref('fct_next_best_action') }}
    where action_rank = 1
),

profiles as (
    select
        customer360_id,
        primary_email,
        primary_phone
    from {{ ref('slv_customer_profiles') }}
),

final as (
    select
        cast(actions.customer360_id as varchar) as customer360_id,
        cast(actions.action as varchar) as action,
        cast(actions.rule_id as varchar) as rule_id,
        cast(actions.channel as varchar) as channel,
        cast(actions.consent_scope as varchar) as consent_scope,
        cast(case when actions.channel = 'email' then {{ mask_pii('profiles.primary_email', 'email') }} end as varchar)
            as contact_email,
        cast(case when actions.channel = 'sms' then {{ mask_pii('profiles.primary_phone', 'phone') }} end as varchar)
            as contact_phone,
        cast(actions.opted_in_at as timestamp) as opted_in_at,
        cast(actions.consent_evidence_id as varchar) as consent_evidence_id,
        cast(actions.cross_sell_product_id as varchar) as cross_sell_product_id,
        cast(actions.expected_value as numeric(18, 4)) as expected_value,
        cast(actions.lifecycle_stage as varchar) as lifecycle_stage,
        cast(actions.primary_segment as varchar) as primary_segment,
        cast(actions.health_band as varchar) as health_band
    from actions
    inner join profiles on actions.customer360_id = profiles.customer360_id
)

select * from final
