{#- Service interactions (DDA "Customer Interaction"): typed, every INT row rule flagged. -#}
{%- set raw_columns = ['interaction_id', 'customer_id', 'interaction_type', 'interaction_at', 'duration_minutes',
    'outcome', 'agent_id', 'recorded_at'] -%}

with

source as (
    select * from {{ raw_source('crm', 'interactions') }}
),

crm_customers as (
    -- INT-02 judges references against the customers the CRM delivered, and a valid customer is an accepted one:
    -- an interaction naming a customer whose record was rejected is rejected too
    -- (README, "Data quality: how a rule is enforced")
    {{ dq_parent_keys('stg_crm__customers', 'customer_id') }}
),

typed as (
    select
        nullif(trim(interaction_id), '') as interaction_id,
        nullif(trim(customer_id), '') as customer_id,
        nullif(trim(interaction_type), '') as interaction_type,
        nullif(trim(outcome), '') as outcome,
        nullif(trim(agent_id), '') as agent_id,
        duration_minutes as duration_minutes_raw,
        {{ parse_decimal('duration_minutes') }} as duration_minutes,
        interaction_at as interaction_at_raw,
        {{ parse_timestamp('interaction_at') }} as interaction_at,
        recorded_at as recorded_at_raw,
        {{ parse_timestamp('recorded_at') }} as recorded_at,
        nullif(trim(interaction_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- INT-09: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('interactions') }} as dq_int_09,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('interactions') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('interaction_id', 'recorded_at') }} as _key_rank from copies
),

flagged as (
    select
        ranked.*,
        {{ dq_later_duplicate('ranked.interaction_id', 'interaction_id') }} as dq_int_01,
        {{ dq_reference_problem('ranked.customer_id', 'crm_customers', 'customer_id', 'is not a CRM customer',
            'CRM customer') }} as dq_int_02,
        case
            when ranked.interaction_at > {{ as_of_timestamp() }}
                then {{ dq_value('interaction_at', 'ranked.interaction_at_raw') }} || ' is in the future'
        end as dq_int_03,
        {{ dq_number_problem('ranked.duration_minutes_raw', 'ranked.duration_minutes', min_value=0, strict_min=true) }}
            as dq_int_04,
        {{ dq_not_accepted('ranked.interaction_type', 'interaction_type', 'interaction_type') }} as dq_int_05,
        {{ dq_not_accepted('ranked.outcome', 'interaction_outcome', 'outcome') }} as dq_int_06,
        case
            when ranked.recorded_at < ranked.interaction_at
                then {{ dq_value('recorded_at', 'ranked.recorded_at_raw') }} || ' is before the interaction'
            when ranked.recorded_at > {{ dbt.dateadd('hour', var('dq_max_recording_delay_hours'), 'ranked.interaction_at') }}
                then {{ dq_value('recorded_at', 'ranked.recorded_at_raw') }}
                    || ' is more than {{ var("dq_max_recording_delay_hours") }} hours after the interaction'
        end as dq_int_07,
        coalesce(
            {{ dq_time_problem('ranked.interaction_at_raw', 'ranked.interaction_at', not_future=false) }},
            {{ dq_time_problem('ranked.recorded_at_raw', 'ranked.recorded_at', not_future=false) }}
        ) as dq_int_08
    from ranked
    left join crm_customers
        on ranked.customer_id = crm_customers.customer_id
),

final as (
    select *, {{ dq_is_accepted('interactions') }} as _is_accepted from flagged
)

select * from final
