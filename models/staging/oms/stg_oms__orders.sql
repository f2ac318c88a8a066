{#- Orders: typed, every ORD row rule flagged. -#}
{%- set raw_columns = ['order_id', 'web_user_id', 'customer_id', 'loyalty_id', 'ordered_at', 'status',
    'sales_channel', 'currency'] -%}

with

source as (
    select * from {{ raw_source('oms', 'orders') }}
),

typed as (
    select
        nullif(trim(order_id), '') as order_id,
        nullif(trim(web_user_id), '') as web_user_id,
        nullif(trim(customer_id), '') as customer_id,
        nullif(trim(loyalty_id), '') as loyalty_id,
        ordered_at as ordered_at_raw,
        {{ parse_timestamp('ordered_at') }} as ordered_at,
        nullif(lower(trim(status)), '') as status,
        nullif(lower(trim(sales_channel)), '') as sales_channel,
        currency as currency_raw,
        nullif(upper(trim(currency)), '') as currency,
        nullif(trim(order_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('order_id', 'ordered_at') }} as _key_rank from copies
),

flagged as (
    select
        *,
        {{ dq_later_duplicate('order_id', 'order_id') }} as dq_ord_01,
        {{ dq_not_accepted('status', 'order_status') }} as dq_ord_02,
        {{ dq_time_problem('ordered_at_raw', 'ordered_at') }} as dq_ord_03,
        {{ dq_not_accepted('sales_channel', 'sales_channel') }} as dq_ord_04,
        case
            when currency is null then 'missing currency'
            when not {{ regex_match('currency', '^[A-Z]{3}$') }}
                then {{ dq_value('currency', 'currency_raw') }} || ' is not an ISO 4217 code'
        end as dq_ord_05
    from ranked
),

final as (
    select *, {{ dq_is_accepted('orders') }} as _is_accepted from flagged
)

select * from final
