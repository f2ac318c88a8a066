{#- Web, app and e-mail tracking events: typed, every EVT row rule flagged. -#}
{%- set raw_columns = ['event_id', 'event_at', 'event_type', 'platform', 'anonymous_id', 'web_user_id',
    'customer_id', 'page_url', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'device_type', 'order_id',
    'revenue', 'product_id', 'experiment_id', 'variant', 'feature_name', 'search_query', 'lcp_ms', 'cls',
    'inp_ms'] -%}

with

source as (
    select * from {{ raw_source('tracking', 'events') }}
),

typed as (
    select
        -- ids
        nullif(trim(event_id), '') as event_id,
        nullif(trim(anonymous_id), '') as anonymous_id,
        nullif(trim(web_user_id), '') as web_user_id,
        nullif(trim(customer_id), '') as customer_id,
        nullif(trim(order_id), '') as order_id,
        nullif(trim(product_id), '') as product_id,

        -- what happened
        event_at as event_at_raw,
        {{ parse_timestamp('event_at') }} as event_at,
        nullif(lower(trim(event_type)), '') as event_type,
        nullif(lower(trim(platform)), '') as platform,
        nullif(lower(trim(device_type)), '') as device_type,

        -- acquisition
        nullif(trim(page_url), '') as page_url,
        nullif(trim(referrer), '') as referrer,
        nullif(lower(trim(utm_source)), '') as utm_source,
        nullif(lower(trim(utm_medium)), '') as utm_medium,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,

        -- event properties
        revenue as revenue_raw,
        {{ parse_decimal('revenue') }} as revenue,
        nullif(trim(experiment_id), '') as experiment_id,
        nullif(trim(variant), '') as variant,
        nullif(trim(feature_name), '') as feature_name,
        nullif(trim(search_query), '') as search_query,

        -- core web vitals
        lcp_ms as lcp_ms_raw,
        {{ parse_integer('lcp_ms') }} as lcp_ms,
        cls as cls_raw,
        {{ parse_decimal('cls') }} as cls,
        inp_ms as inp_ms_raw,
        {{ parse_integer('inp_ms') }} as inp_ms,

        nullif(trim(event_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- EVT-08: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('events') }} as dq_evt_08,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('events') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('event_id', 'event_at') }} as _key_rank from copies
),

flagged as (
    select
        *,
        {{ dq_later_duplicate('event_id', 'event_id') }} as dq_evt_01,
        {{ dq_time_problem('event_at_raw', 'event_at') }} as dq_evt_02,
        {{ dq_not_accepted('event_type', 'event_type') }} as dq_evt_03,
        {{ dq_not_accepted('platform', 'event_platform') }} as dq_evt_04,
        case
            when anonymous_id is null and web_user_id is null and customer_id is null
                then 'no identifier: anonymous_id, web_user_id and customer_id are all missing'
        end as dq_evt_05,
        coalesce(
            {{ dq_number_problem('revenue_raw', 'revenue', min_value=0, required=false) }},
            {{ dq_number_problem('lcp_ms_raw', 'lcp_ms', min_value=0, required=false, kind='integer') }},
            {{ dq_number_problem('cls_raw', 'cls', min_value=0, required=false) }},
            {{ dq_number_problem('inp_ms_raw', 'inp_ms', min_value=0, required=false, kind='integer') }}
        ) as dq_evt_06,
        case
            when device_type is not null then {{ dq_not_accepted('device_type', 'device_type') }}
        end as dq_evt_07
    from ranked
),

final as (
    select *, {{ dq_is_accepted('events') }} as _is_accepted from flagged
)

select * from final
