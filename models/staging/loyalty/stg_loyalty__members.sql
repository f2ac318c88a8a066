{#- Loyalty members: typed, contact normalised for matching, every LOY row rule flagged. -#}
{%- set raw_columns = ['loyalty_id', 'customer_id', 'first_name', 'last_name', 'email', 'phone', 'tier',
    'points_balance', 'enrolled_at', 'updated_at'] -%}

with

source as (
    select * from {{ raw_source('loyalty', 'loyalty_members') }}
),

typed as (
    select
        nullif(trim(loyalty_id), '') as loyalty_id,
        nullif(trim(customer_id), '') as customer_id,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        email as email_raw,
        {{ normalize_email('email') }} as email,
        phone as phone_raw,
        {{ normalize_phone('phone') }} as phone_e164,
        nullif(trim(tier), '') as tier,
        points_balance as points_balance_raw,
        {{ parse_integer('points_balance') }} as points_balance,
        enrolled_at as enrolled_at_raw,
        {{ parse_timestamp('enrolled_at') }} as enrolled_at,
        updated_at as updated_at_raw,
        {{ parse_timestamp('updated_at') }} as updated_at,
        nullif(trim(loyalty_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- LOY-05: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('loyalty_members') }} as dq_loy_05,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('loyalty_members') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('loyalty_id', 'updated_at') }} as _key_rank from copies
),

flagged as (
    select
        *,
        {{ dq_later_duplicate('loyalty_id', 'loyalty_id') }} as dq_loy_01,
        {{ dq_not_accepted('tier', 'loyalty_tier') }} as dq_loy_02,
        {{ dq_number_problem('points_balance_raw', 'points_balance', min_value=0, kind='integer') }} as dq_loy_03,
        coalesce(
            {{ dq_time_problem('enrolled_at_raw', 'enrolled_at') }},
            {{ dq_time_problem('updated_at_raw', 'updated_at', required=false, not_future=false) }}
        ) as dq_loy_04
    from ranked
),

final as (
    select *, {{ dq_is_accepted('loyalty_members') }} as _is_accepted from flagged
)

select * from final
