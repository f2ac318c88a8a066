{#-
    Every current source record of a resolved customer with the attributes
    survivorship chooses from, and the trust rank of its system (crm 1,
    loyalty 2, ecom 3, anonymous 4; var customer_source_trust).
-#}
{%- set trust = var('customer_source_trust') -%}

with

id_map as (
    select * from {{ ref('slv_customer_id_map') }}
),

records as (
    select * from {{ ref('slv_source_records') }}
),

final as (
    select
        id_map.customer360_id,
        records.*,
        case records.source_system
            {%- for system, rank in trust.items() %}
            when '{{ system }}' then {{ rank }}
            {%- endfor %}
        end as source_trust_rank
    from records
    inner join id_map
        on records.source_system = id_map.source_system and records.source_id = id_map.source_id
)

select * from final
