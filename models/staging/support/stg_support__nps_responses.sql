{#- NPS survey responses: typed, every NPS row rule flagged. -#}
{%- set raw_columns = ['response_id', 'customer_id', 'responded_at', 'nps_score'] -%}

with

source as (
    select * from {{ raw_source('support', 'nps_responses') }}
),

crm_customers as (
    -- NPS-04 judges references against the customers the CRM delivered, and a valid customer is an accepted one:
    -- a response naming a customer whose record was rejected is rejected too (README, "Data quality: how a rule is enforced")
    {{ dq_parent_keys('stg_crm__customers', 'customer_id') }}
),

typed as (
    select
        nullif(trim(response_id), '') as response_id,
        nullif(trim(customer_id), '') as customer_id,
        responded_at as responded_at_raw,
        {{ parse_timestamp('responded_at') }} as responded_at,
        nps_score as nps_score_raw,
        {{ parse_integer('nps_score') }} as nps_score,
        nullif(trim(response_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- NPS-05: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('nps_responses') }} as dq_nps_05,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('nps_responses') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('response_id', 'responded_at') }} as _key_rank from copies
),

flagged as (
    select
        ranked.*,
        {{ dq_later_duplicate('ranked.response_id', 'response_id') }} as dq_nps_01,
        {{ dq_number_problem('ranked.nps_score_raw', 'ranked.nps_score', min_value=0, max_value=10, kind='integer') }}
            as dq_nps_02,
        {{ dq_time_problem('ranked.responded_at_raw', 'ranked.responded_at') }} as dq_nps_03,
        {{ dq_reference_problem('ranked.customer_id', 'crm_customers', 'customer_id', 'is not a CRM customer',
            'CRM customer') }} as dq_nps_04
    from ranked
    left join crm_customers on ranked.customer_id = crm_customers.customer_id
),

final as (
    select *, {{ dq_is_accepted('nps_responses') }} as _is_accepted from flagged
)

select * from final
