{#- Order lines (key order_id + line_number): typed, every OIT row rule flagged. -#}
{%- set raw_columns = ['order_id', 'line_number', 'product_id', 'quantity', 'unit_price', 'discount_amount'] -%}

with

source as (
    select * from {{ raw_source('oms', 'order_items') }}
),

orders as (
    -- OIT-02 judges references against the orders OMS delivered, and a valid order is an accepted one:
    -- a line naming an order whose record was rejected is rejected too (README, "Data quality: how a rule is enforced")
    {{ dq_parent_keys('stg_oms__orders', 'order_id') }}
),

products as (
    select distinct product_id
    from {{ ref('stg_ecom__products') }}
    where product_id is not null
),

typed as (
    select
        nullif(trim(order_id), '') as order_id,
        line_number as line_number_raw,
        {{ parse_integer('line_number') }} as line_number,
        nullif(trim(product_id), '') as product_id,
        quantity as quantity_raw,
        {{ parse_integer('quantity') }} as quantity,
        unit_price as unit_price_raw,
        {{ parse_decimal('unit_price') }} as unit_price,
        discount_amount as discount_amount_raw,
        coalesce({{ parse_decimal('discount_amount') }}, case when nullif(trim(discount_amount), '') is null then 0 end)
            as discount_amount,
        {{ dbt.concat(["coalesce(trim(order_id), '')", "':'", "coalesce(trim(line_number), '')"]) }} as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- OIT-06: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('order_items') }} as dq_oit_06,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('order_items') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('order_id, line_number', '_row_hash') }} as _key_rank from copies
),

flagged as (
    select
        ranked.*,
        case
            when ranked.order_id is not null and ranked.line_number is not null and ranked._key_rank > 1
                then 'later duplicate of order line ' || ranked._record_id
        end as dq_oit_01,
        {{ dq_reference_problem('ranked.order_id', 'orders', 'order_id', 'is not a delivered order', 'order') }}
            as dq_oit_02,
        {{ dq_number_problem('ranked.quantity_raw', 'ranked.quantity', min_value=0, strict_min=true, kind='integer') }}
            as dq_oit_03,
        coalesce(
            {{ dq_number_problem('ranked.unit_price_raw', 'ranked.unit_price', min_value=0) }},
            {{ dq_number_problem('ranked.discount_amount_raw', 'ranked.discount_amount', min_value=0, required=false) }},
            case
                when ranked.quantity > 0 and ranked.discount_amount > ranked.unit_price * ranked.quantity
                    then {{ dq_value('discount_amount', 'ranked.discount_amount_raw') }}
                        || ' exceeds the line value'
            end
        ) as dq_oit_04,
        case
            when ranked.product_id is null then 'missing product_id'
            when products.product_id is null
                then {{ dq_value('product_id', 'ranked.product_id') }} || ' is not in the product catalogue'
        end as dq_oit_05
    from ranked
    left join orders on ranked.order_id = orders.order_id
    left join products on ranked.product_id = products.product_id
),

final as (
    select *, {{ dq_is_accepted('order_items') }} as _is_accepted from flagged
)

select * from final
