{#-
    The domain-wide DDA rules judged on silver and gold, counted so that
    dq_rule_summary reports them by id next to the delivery rules (the tests
    named dda_gen_03_*, dda_gen_04_*, dda_gen_06_* fail the build on the same
    conditions):

      GEN-03  rows older than var dq_retention_years before as_of, per model
      GEN-04  audience members without a current opt-in for the audience's scope
      GEN-06  outside the PII-unmasked targets (prod), rows of dim_customer
              showing a raw e-mail or phone of the golden record
-#}
{%- set retention = [
    ('slv_customer_orders', 'ordered_at'), ('slv_customer_events', 'event_at'),
    ('slv_customer_service_contacts', 'contacted_at'), ('fct_customer_interactions', 'interacted_at'),
    ('fct_customer_daily_snapshot', 'snapshot_date'), ('fct_lifecycle_transitions', 'transitioned_at'),
    ('fct_household_snapshot', 'snapshot_date'), ('fct_sessions', 'started_at'),
    ('fct_touchpoints', 'touched_at'), ('fct_attribution', 'converted_at'),
    ('fct_campaign_performance_daily', 'metric_date'), ('customer_segmentation', 'last_order_at')] -%}
{%- set audiences = [
    ('audience_email_marketing', 'email_marketing'), ('audience_sms_offers', 'sms_offers'),
    ('audience_push_notifications', 'push_notifications')] -%}
{#- on the PII-unmasked targets (prod) showing PII is allowed: nothing fails -#}
{%- set raw_pii_shown = 'false' if pii_is_unmasked() else
    '(customers.primary_email = profiles.primary_email or customers.primary_phone = profiles.primary_phone)' -%}

with

consents as (
    select
        customer360_id,
        scope
    from {{ ref('slv_customer_consents') }}
    where is_opted_in
),

{% for model, column in retention %}
retention_{{ loop.index }} as (
    select
        'GEN-03' as rule_id,
        '{{ model }}' as entity,
        '{{ model }}' as source_table,
        count(*) as checked_rows,
        sum(case when {{ column }} < {{ retention_cutoff() }} then 1 else 0 end) as failed_rows
    from {{ ref(model) }}
),

{% endfor %}
{% for model, scope in audiences %}
audience_{{ loop.index }} as (
    select
        'GEN-04' as rule_id,
        '{{ model }}' as entity,
        '{{ model }}' as source_table,
        count(*) as checked_rows,
        sum(case when consents.customer360_id is null then 1 else 0 end) as failed_rows
    from {{ ref(model) }} as audience
    left join consents
        on audience.customer360_id = consents.customer360_id and consents.scope = '{{ scope }}'
),

{% endfor %}
pii as (
    select
        'GEN-06' as rule_id,
        'dim_customer' as entity,
        'dim_customer' as source_table,
        count(*) as checked_rows,
        sum(case when {{ raw_pii_shown }} then 1 else 0 end) as failed_rows
    from {{ ref('dim_customer') }} as customers
    inner join {{ ref('slv_customer_profiles') }} as profiles
        on customers.customer360_id = profiles.customer360_id
),

unioned as (
    {%- for model, column in retention %}
    select * from retention_{{ loop.index }}
    union all
    {%- endfor %}
    {%- for model, scope in audiences %}
    select * from audience_{{ loop.index }}
    union all
    {%- endfor %}
    select * from pii
),

final as (
    select
        rule_id,
        entity,
        source_table,
        checked_rows,
        coalesce(failed_rows, 0) as failed_rows
    from unioned
)

select * from final
