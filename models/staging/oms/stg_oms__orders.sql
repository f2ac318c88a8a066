{#-
    Orders: typed, every ORD row rule flagged. ORD-06: an order is summed in
    the reporting currency (var reporting_currency) at the reference rate of
    its month (seed fx_rates); an order whose currency, or the reporting
    currency, has no rate for that month is rejected here, never summed
    unconverted or dropped in silver.
-#}
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
        {{ row_hash(raw_columns) }} as _row_hash,

        -- ORD-07: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('orders') }} as dq_ord_07,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('orders') }} as dq_gen_07
    from source
),

convertible as (
    -- the months and currencies that convert to the reporting currency
    select
        rates.rate_month as convertible_month,
        rates.currency as convertible_currency
    from {{ ref('fx_rates') }} as rates
    inner join {{ ref('fx_rates') }} as reporting
        on
            rates.rate_month = reporting.rate_month
            and reporting.currency = '{{ var("reporting_currency") }}'
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
        {{ dq_key_rank('order_id', 'ordered_at') }} as _key_rank
    from copies
),

rated as (
    -- _fx_rate_month: the month's rate exists (a staging-only helper column, not carried to bronze)
    select
        ranked.*,
        convertible.convertible_month as _fx_rate_month
    from ranked
    left join convertible
        on
            ranked.currency = convertible.convertible_currency
            and cast({{ dbt.date_trunc('month', 'ranked.ordered_at') }} as date) = convertible.convertible_month
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
        end as dq_ord_05,
        case
            -- judged only for a well-formed ISO code (a malformed one is ORD-05's)
            when
                {{ regex_match('currency', '^[A-Z]{3}$') }} and ordered_at is not null
                and _fx_rate_month is null
                then {{ dq_value('currency', 'currency') }} || ' has no reference rate to {{ var("reporting_currency") }} for '
                    || cast(cast({{ dbt.date_trunc('month', 'ordered_at') }} as date) as {{ dbt.type_string() }})
                    || ' (seed fx_rates)'
        end as dq_ord_06
    from rated
),

final as (
    select
        *,
        {{ dq_is_accepted('orders') }} as _is_accepted
    from flagged
)

select * from final
