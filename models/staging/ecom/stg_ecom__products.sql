{#- Product catalogue: typed, every PRD row rule flagged. -#}
{%- set raw_columns = ['product_id', 'product_name', 'category', 'unit_price', 'launched_at'] -%}

with

source as (
    select * from {{ raw_source('ecom', 'products') }}
),

typed as (
    select
        nullif(trim(product_id), '') as product_id,
        nullif(trim(product_name), '') as product_name,
        nullif(trim(category), '') as category,
        unit_price as unit_price_raw,
        {{ parse_decimal('unit_price') }} as unit_price,
        launched_at as launched_at_raw,
        {{ parse_date('launched_at') }} as launched_on,
        nullif(trim(product_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- PRD-04: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('products') }} as dq_prd_04,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('products') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('product_id', '_row_hash') }} as _key_rank from copies
),

flagged as (
    select
        *,
        {{ dq_later_duplicate('product_id', 'product_id') }} as dq_prd_01,
        {{ dq_number_problem('unit_price_raw', 'unit_price', min_value=0, strict_min=true) }} as dq_prd_02,
        {{ dq_time_problem('launched_at_raw', 'launched_on', required=false, not_future=false, kind='date') }}
            as dq_prd_03
    from ranked
),

final as (
    select *, {{ dq_is_accepted('products') }} as _is_accepted from flagged
)

select * from final
