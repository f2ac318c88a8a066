{#- CRM customers (DDA "Customer"): typed, normalised, every CUS row rule flagged. -#}
{%- set raw_columns = ['customer_id', 'first_name', 'last_name', 'email', 'phone', 'date_of_birth', 'gender',
    'registration_date', 'customer_segment', 'lifetime_value', 'country', 'region', 'city', 'postal_code',
    'preferred_language', 'updated_at'] -%}

with

source as (
    select * from {{ raw_source('crm', 'crm_customers') }}
),

typed as (
    select
        -- ids
        nullif(trim(customer_id), '') as customer_id,

        -- names and contact
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        email as email_raw,
        {{ normalize_email('email') }} as email,
        phone as phone_raw,
        {{ normalize_phone('phone', 'country') }} as phone_e164,

        -- demographics
        date_of_birth as date_of_birth_raw,
        {{ parse_date('date_of_birth') }} as date_of_birth,
        nullif(upper(trim(gender)), '') as gender,
        {{ normalize_country('country') }} as country_code,
        nullif(trim(region), '') as region,
        nullif(trim(city), '') as city,
        nullif(upper(trim(postal_code)), '') as postal_code,
        nullif(lower(trim(preferred_language)), '') as preferred_language,

        -- commercial
        nullif(trim(customer_segment), '') as customer_segment,
        {{ parse_decimal('lifetime_value') }} as crm_lifetime_value,

        -- dates and timestamps
        registration_date as registration_date_raw,
        {{ parse_date('registration_date') }} as registration_date,
        updated_at as updated_at_raw,
        {{ parse_timestamp('updated_at') }} as updated_at,

        -- lineage
        nullif(trim(customer_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- CUS-10: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('crm_customers') }} as dq_cus_10,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('crm_customers') }} as dq_gen_07
    from source
),

copies as (
    select
        *,
        {{ dq_copy_number() }} as _copy_number
    from typed
),

ranked as (
    select
        *,
        {{ dq_key_rank('customer_id', 'updated_at') }} as _key_rank,
        {{ as_of_date() }} as _as_of_date
    from copies
),

flagged as (
    select
        *,
        case
            when customer_id is not null and _key_rank > 1
                then 'later duplicate of ' || {{ dq_value('customer_id', 'customer_id') }}
        end as dq_cus_01,
        case
            when email is not null and not {{ is_valid_email('email') }}
                then {{ dq_value('email', 'email_raw') }}
        end as dq_cus_02,
        case
            when registration_date > _as_of_date
                then {{ dq_value('registration_date', 'registration_date_raw') }} || ' is in the future'
        end as dq_cus_03,
        case
            when customer_id is null then 'missing customer_id'
            when first_name is null then 'missing first_name'
            when last_name is null then 'missing last_name'
            when nullif(trim(registration_date_raw), '') is null then 'missing registration_date'
            when email is null and phone_e164 is null
                then 'missing both email and a readable phone (' || {{ dq_value('phone', 'phone_raw') }} || ')'
        end as dq_cus_04,
        case
            when nullif(trim(registration_date_raw), '') is not null and registration_date is null
                then {{ dq_value('registration_date', 'registration_date_raw') }} || ' is not an ISO calendar date'
            when nullif(trim(date_of_birth_raw), '') is not null and date_of_birth is null
                then {{ dq_value('date_of_birth', 'date_of_birth_raw') }} || ' is not an ISO calendar date'
        end as dq_cus_05,
        case
            when date_of_birth > _as_of_date
                then {{ dq_value('date_of_birth', 'date_of_birth_raw') }} || ' is in the future'
            when date_of_birth < {{ dbt.dateadd('year', -120, '_as_of_date') }}
                then {{ dq_value('date_of_birth', 'date_of_birth_raw') }} || ' means an age over 120'
            when date_of_birth < {{ dbt.dateadd('year', -120, 'registration_date') }}
                then {{ dq_value('date_of_birth', 'date_of_birth_raw') }} || ' is over 120 years before registration'
        end as dq_cus_06,
        -- optional codes: a value outside seed accepted_values is rejected, a missing one is not
        case
            when customer_segment is not null then {{ dq_not_accepted('customer_segment', 'customer_segment') }}
        end as dq_cus_07,
        case
            when gender is not null then {{ dq_not_accepted('gender', 'gender') }}
        end as dq_cus_08,
        case
            when preferred_language is not null and not {{ regex_match('preferred_language', '^[a-z]{2}$') }}
                then {{ dq_value('preferred_language', 'preferred_language') }} || ' is not an ISO 639-1 code'
        end as dq_cus_09
    from ranked
),

final as (
    select
        *,
        {{ dq_is_accepted('crm_customers') }} as _is_accepted
    from flagged
)

select * from final
