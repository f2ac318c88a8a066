{#- Marketing campaigns (DDA "Campaign"): typed, every CMP row rule flagged. -#}
{%- set raw_columns = ['campaign_id', 'campaign_name', 'campaign_type', 'start_date', 'end_date', 'budget',
    'target_audience', 'status', 'utm_campaign'] -%}

with

source as (
    select * from {{ raw_source('marketing', 'campaigns') }}
),

typed as (
    select
        nullif(trim(campaign_id), '') as campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        nullif(trim(campaign_type), '') as campaign_type,
        nullif(trim(target_audience), '') as target_audience,
        nullif(trim(status), '') as status,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        budget as budget_raw,
        {{ parse_decimal('budget') }} as budget,
        start_date as start_date_raw,
        {{ parse_date('start_date') }} as start_date,
        end_date as end_date_raw,
        {{ parse_date('end_date') }} as end_date,
        nullif(trim(campaign_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- CMP-07: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('campaigns') }} as dq_cmp_07,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('campaigns') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('campaign_id', '_row_hash') }} as _key_rank from copies
),

flagged as (
    select
        *,
        {{ dq_later_duplicate('campaign_id', 'campaign_id') }} as dq_cmp_01,
        case
            when end_date <= start_date
                then {{ dq_value('end_date', 'end_date_raw') }} || ' is not after '
                    || {{ dq_value('start_date', 'start_date_raw') }}
        end as dq_cmp_02,
        {{ dq_number_problem('budget_raw', 'budget', min_value=0, strict_min=true) }} as dq_cmp_03,
        {{ dq_not_accepted('status', 'campaign_status') }} as dq_cmp_04,
        {{ dq_not_accepted('campaign_type', 'campaign_type') }} as dq_cmp_05,
        coalesce(
            {{ dq_time_problem('start_date_raw', 'start_date', not_future=false, kind='date') }},
            {{ dq_time_problem('end_date_raw', 'end_date', required=false, not_future=false, kind='date') }}
        ) as dq_cmp_06
    from ranked
),

final as (
    select *, {{ dq_is_accepted('campaigns') }} as _is_accepted from flagged
)

select * from final
