{#- Consent captures: typed, every CON row rule flagged. -#}
{%- set raw_columns = ['consent_id', 'source_system', 'source_id', 'scope', 'status', 'captured_at'] -%}

with

source as (
    select * from {{ raw_source('consent', 'consents') }}
),

known_source_ids as (
    -- CON-06: the record a consent names must exist in that system's delivery
    select distinct
        'crm' as source_system,
        customer_id as source_id
    from {{ ref('stg_crm__customers') }}
    where customer_id is not null
    union all
    select distinct
        'loyalty' as source_system,
        loyalty_id as source_id
    from {{ ref('stg_loyalty__members') }}
    where loyalty_id is not null
    union all
    select distinct
        'ecom' as source_system,
        web_user_id as source_id
    from {{ ref('stg_ecom__accounts') }}
    where web_user_id is not null
),

typed as (
    select
        nullif(trim(consent_id), '') as consent_id,
        nullif(lower(trim(source_system)), '') as source_system,
        nullif(trim(source_id), '') as source_id,
        nullif(lower(trim(scope)), '') as scope,
        nullif(lower(trim(status)), '') as status,
        captured_at as captured_at_raw,
        {{ parse_timestamp('captured_at') }} as captured_at,
        nullif(trim(consent_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- CON-07: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('consents') }} as dq_con_07,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('consents') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('consent_id', 'captured_at') }} as _key_rank from copies
),

flagged as (
    select
        ranked.*,
        {{ dq_later_duplicate('ranked.consent_id', 'consent_id') }} as dq_con_01,
        {{ dq_not_accepted('ranked.source_system', 'consent_source_system', 'source_system') }} as dq_con_02,
        {{ dq_not_accepted('ranked.scope', 'consent_scope', 'scope') }} as dq_con_03,
        {{ dq_not_accepted('ranked.status', 'consent_status', 'status') }} as dq_con_04,
        {{ dq_time_problem('ranked.captured_at_raw', 'ranked.captured_at') }} as dq_con_05,
        case
            when ranked.source_id is null then 'missing source_id'
            when {{ in_accepted_values('ranked.source_system', 'consent_source_system') }}
                and known_source_ids.source_id is null
                then {{ dq_value('source_id', 'ranked.source_id') }} || ' is not in the '
                    || ranked.source_system || ' delivery'
        end as dq_con_06
    from ranked
    left join known_source_ids
        on
            ranked.source_system = known_source_ids.source_system
            and ranked.source_id = known_source_ids.source_id
),

final as (
    select *, {{ dq_is_accepted('consents') }} as _is_accepted from flagged
)

select * from final
