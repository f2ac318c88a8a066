{#- Every catalogue product in its current accepted version: one row per product_id. -#}

with

products as (
    select
        product_id,
        product_name,
        category,
        unit_price,
        launched_on
    from {{ ref('brz_ecom__products') }}
    where _is_current
)

select * from products
