{#- Web shop accounts: typed, contact normalised for matching, every ECM row rule flagged. -#}
{%- set raw_columns = ['web_user_id', 'email', 'first_name', 'last_name', 'phone', 'country', 'created_at',
    'last_login_at'] -%}

with

source as (
    select * from {{ raw_source('ecom', 'ecom_accounts') }}
),

typed as (
    select
        nullif(trim(web_user_id), '') as web_user_id,
        email as email_raw,
        {{ normalize_email('email') }} as email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        phone as phone_raw,
        {{ normalize_phone('phone', 'country') }} as phone_e164,
        {{ normalize_country('country') }} as country_code,
        created_at as created_at_raw,
        {{ parse_timestamp('created_at') }} as created_at,
        last_login_at as last_login_at_raw,
        {{ parse_timestamp('last_login_at') }} as last_login_at,
        nullif(trim(web_user_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- ECM-03: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('ecom_accounts') }} as dq_ecm_03,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('ecom_accounts') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('web_user_id', 'last_login_at') }} as _key_rank from copies
),

flagged as (
    select
        *,
        {{ dq_later_duplicate('web_user_id', 'web_user_id') }} as dq_ecm_01,
        coalesce(
            {{ dq_time_problem('created_at_raw', 'created_at') }},
            {{ dq_time_problem('last_login_at_raw', 'last_login_at', required=false, not_future=false) }}
        ) as dq_ecm_02
    from ranked
),

final as (
    select *, {{ dq_is_accepted('ecom_accounts') }} as _is_accepted from flagged
)

select * from final
