{#-
    The Customer 360 profile: one row per customer360_id with every field of
    the profile data model (identity, contact, demographics and preferences,
    lifecycle and engagement, commerce, scores and segments), the household,
    the lifecycle stage and the health score (slv_customer_health). Customers with nothing left inside the retention
    window (GEN-03) are not served. PII is masked outside prod (GEN-06,
    macro mask_pii); silver keeps the golden record unmasked.
-#}
{#- Postgres serving (issue 13): indexes for the DDA access patterns and the customer lookup. Postgres only:
    dbt-duckdb would create them too, and its drop-and-rename of an indexed table races with other threads. -#}
{%- if target.type == 'postgres' %}{{ config(indexes=[{'columns': ['customer360_id'], 'unique': True}]) }}{% endif %}

with

profiles as (
    select * from {{ ref('slv_customer_profiles') }}
),

activity as (
    select * from {{ ref('slv_customer_activity') }}
),

states as (
    select * from {{ ref('slv_customer_states') }}
),

scores as (
    select * from {{ ref('slv_customer_scores') }}
),

health as (
    select
        customer360_id,
        health_score,
        health_band
    from {{ ref('slv_customer_health') }}
),

households as (
    select
        customer360_id,
        household_id
    from {{ ref('slv_households') }}
),

contact_lists as (
    -- e-mails and phones of all the customer's records, masked outside prod
    select
        customer360_id,
        {{ json_array_agg(mask_pii('email', 'email')) }} as emails,
        {{ json_array_agg(mask_pii('phone_e164', 'phone')) }} as phones
    from {{ ref('slv_customer_records') }}
    group by customer360_id
),

consent_summary as (
    select
        customer360_id,
        {{ json_array_agg('case when is_opted_in then scope end') }} as consent_scopes,
        max(status_captured_at) as last_consent_at
    from {{ ref('slv_customer_consents') }}
    group by customer360_id
),

channels as (
    select * from {{ ref('slv_customer_channels') }}
),

marketing_consent as (
    select
        customer360_id,
        count(*) as marketing_scopes_known,
        count(case when is_opted_in then 1 end) as marketing_scopes_opted_in
    from channels
    group by customer360_id
),

served as (
    -- the served-customer rule and the attributes gold shares (slv_served_customers)
    select
        customer360_id,
        preferred_channel,
        primary_segment
    from {{ ref('slv_served_customers') }}
),

interests as (
    select
        customer360_id,
        '[' || {{ dbt.listagg(
            "case when interest_rank <= " ~ var('interest_top_n') ~ " then '\"' || category || '\"' end",
            "','", "order by interest_rank") }} || ']' as interests,
        '{' || {{ dbt.listagg(
            "case when interest_rank <= " ~ var('recommendation_vector_size') ~ " then '\"' || category || '\": ' || "
            ~ "cast(cast(interest_weight as numeric(5, 4)) as " ~ dbt.type_string() ~ ") end",
            "', '", "order by interest_rank") }} || '}' as recommendation_vector
    from {{ ref('slv_customer_interests') }}
    group by customer360_id
),

segment_memberships as (
    select
        customer360_id,
        {{ customer_segment_code_sql('rfm', 'rfm_segment') }} as segment_code
    from states
    where rfm_segment is not null
    union all
    select
        customer360_id,
        coalesce({{ customer_segment_code_sql('crm', 'customer_segment') }}, 'crm_unsegmented') as segment_code
    from states
    union all
    select
        customer360_id,
        {{ customer_segment_code_sql('lifecycle', 'lifecycle_stage') }} as segment_code
    from states
    union all
    select
        customer360_id,
        {{ customer_segment_code_sql('loyalty', 'loyalty_tier') }} as segment_code
    from states
    where loyalty_tier is not null
),

segments as (
    select
        customer360_id,
        {{ json_array_agg('segment_code') }} as segments
    from segment_memberships
    group by customer360_id
),

state_history as (
    -- first snapshot of the customer, and the latest version that changed something (not the first)
    select
        customer360_id,
        min(dbt_valid_from) as first_snapshot_at,
        max(case when version_number > 1 then dbt_valid_from end) as last_state_change_at
    from (
        select
            customer360_id,
            dbt_valid_from,
            row_number() over (partition by customer360_id order by dbt_valid_from) as version_number
        from {{ ref('snp_customer_states') }}
    ) as versions
    group by customer360_id
),

joined as (
    select
        profiles.*,
        activity.first_seen_at,
        activity.last_seen_at,
        activity.last_channel_seen,
        activity.total_sessions,
        activity.total_interactions,
        activity.email_opens,
        activity.email_clicks,
        activity.push_notifications,
        activity.support_tickets,
        activity.last_support_interaction_at,
        activity.first_purchase_at,
        activity.last_purchase_at,
        activity.orders_count,
        activity.total_revenue,
        activity.refunds_count,
        activity.refunds_amount,
        states.lifecycle_stage,
        states.customer_segment,
        states.rfm_segment,
        scores.churn_risk_score,
        scores.engagement_score,
        scores.propensity_to_buy_score,
        scores.lifetime_value,
        health.health_score,
        health.health_band,
        households.household_id,
        contact_lists.emails as masked_emails,
        contact_lists.phones as masked_phones,
        marketing_consent.marketing_scopes_known,
        marketing_consent.marketing_scopes_opted_in,
        consent_summary.consent_scopes,
        consent_summary.last_consent_at,
        served.preferred_channel,
        served.primary_segment,
        interests.interests,
        interests.recommendation_vector,
        segments.segments,
        state_history.first_snapshot_at,
        state_history.last_state_change_at
    from profiles
    inner join served on profiles.customer360_id = served.customer360_id
    inner join activity on profiles.customer360_id = activity.customer360_id
    left join states on profiles.customer360_id = states.customer360_id
    left join scores on profiles.customer360_id = scores.customer360_id
    left join health on profiles.customer360_id = health.customer360_id
    left join households on profiles.customer360_id = households.customer360_id
    left join contact_lists on profiles.customer360_id = contact_lists.customer360_id
    left join consent_summary on profiles.customer360_id = consent_summary.customer360_id
    left join marketing_consent on profiles.customer360_id = marketing_consent.customer360_id
    left join interests on profiles.customer360_id = interests.customer360_id
    left join segments on profiles.customer360_id = segments.customer360_id
    left join state_history on profiles.customer360_id = state_history.customer360_id
),

final as (
    select
        -- identity & keys
        cast(customer360_id as varchar) as customer360_id,
        cast(primary_source as varchar) as primary_source,
        cast(source_ids as varchar) as source_ids,
        cast(coalesce(least(first_seen_at, first_snapshot_at), {{ as_of_timestamp() }}) as timestamp) as created_at,
        cast(
            least(
                greatest(
                    last_record_update_at, last_consent_at, last_seen_at, last_state_change_at,
                    least(first_seen_at, first_snapshot_at)
                ),
                {{ as_of_timestamp() }}
            ) as timestamp
        ) as updated_at,
        -- contact (masked outside prod)
        cast({{ mask_pii('first_name', 'name') }} as varchar) as first_name,
        cast({{ mask_pii('last_name', 'name') }} as varchar) as last_name,
        cast(
            case
                when first_name is not null or last_name is not null
                    then trim(
                            coalesce({{ mask_pii('first_name', 'name') }}, '') || ' '
                            || coalesce({{ mask_pii('last_name', 'name') }}, '')
                        )
            end as varchar
        ) as full_name,
        cast({{ mask_pii('primary_email', 'email') }} as varchar) as primary_email,
        cast(coalesce(masked_emails, '[]') as varchar) as emails,
        cast({{ mask_pii('primary_phone', 'phone') }} as varchar) as primary_phone,
        cast(coalesce(masked_phones, '[]') as varchar) as phones,
        cast(language as varchar) as language,
        cast(country as varchar) as country,
        cast(region as varchar) as region,
        cast(city as varchar) as city,
        cast({{ mask_pii('postal_code', 'postal_code') }} as varchar) as postal_code,
        -- demographics & preferences
        cast({{ mask_pii('date_of_birth', 'date') }} as date) as date_of_birth,
        cast({{ age_in_years('date_of_birth') }} as integer) as age,
        cast(gender as varchar) as gender,
        cast(preferred_channel as varchar) as preferred_channel,
        cast(
            case
                when marketing_scopes_opted_in > 0 then 'opted_in'
                when marketing_scopes_known > 0 then 'opted_out'
                else 'unknown'
            end as varchar
        ) as opt_in_status,
        cast(coalesce(consent_scopes, '[]') as varchar) as consent_scopes,
        cast(coalesce(interests, '[]') as varchar) as interests,
        -- lifecycle & engagement
        cast(first_seen_at as timestamp) as first_seen_at,
        cast(last_seen_at as timestamp) as last_seen_at,
        cast(last_channel_seen as varchar) as last_channel_seen,
        cast(total_sessions as integer) as total_sessions,
        cast(total_interactions as integer) as total_interactions,
        cast(email_opens as integer) as email_opens,
        cast(email_clicks as integer) as email_clicks,
        cast(push_notifications as integer) as push_notifications,
        cast(support_tickets as integer) as support_tickets,
        cast(last_support_interaction_at as timestamp) as last_support_interaction_at,
        -- commerce & value
        cast(first_purchase_at as timestamp) as first_purchase_at,
        cast(last_purchase_at as timestamp) as last_purchase_at,
        cast(orders_count as integer) as orders_count,
        cast(total_revenue as numeric(18, 2)) as total_revenue,
        cast(case when orders_count > 0 then total_revenue / orders_count end as numeric(18, 2)) as avg_order_value,
        cast(refunds_count as integer) as refunds_count,
        cast(refunds_amount as numeric(18, 2)) as refunds_amount,
        cast(lifetime_value as numeric(18, 2)) as lifetime_value,
        cast(loyalty_tier as varchar) as loyalty_tier,
        cast(loyalty_points_balance as bigint) as loyalty_points_balance,
        -- scores & segments
        cast(case when orders_count > 0 then churn_risk_score end as numeric(5, 4)) as churn_risk_score,
        cast(engagement_score as numeric(5, 2)) as engagement_score,
        cast(propensity_to_buy_score as numeric(5, 4)) as propensity_to_buy_score,
        cast(health_score as numeric(5, 2)) as health_score,
        cast(health_band as varchar) as health_band,
        cast(coalesce(recommendation_vector, '{}') as varchar) as recommendation_vector,
        -- the RFM segment with a completed order, else the CRM segment (slv_served_customers)
        cast(primary_segment as varchar) as primary_segment,
        cast(coalesce(segments, '[]') as varchar) as segments,
        cast(customer_segment as varchar) as customer_segment,
        cast(lifecycle_stage as varchar) as lifecycle_stage,
        -- household
        cast(household_id as varchar) as household_id
    from joined
)

select * from final
