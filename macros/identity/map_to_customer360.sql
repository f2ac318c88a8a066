{#-
    The rows of `relation` (a CTE or relation name) with the customer360_id of
    the first of its identifiers that customer_id_map knows, in the order given:
    id_columns = [(source_system, column), ...], e.g. an order names a CRM
    customer, a loyalty member and a web user; the first one resolved wins (they
    resolve to the same customer unless the order names two people).
-#}
{% macro map_to_customer360(relation, id_columns, id_map='id_map') -%}
    select
        {{ relation }}.*,
        coalesce(
            {%- for system, column in id_columns %}
            by_{{ system }}.customer360_id{{ ',' if not loop.last }}
            {%- endfor %}
        ) as customer360_id
    from {{ relation }}
    {%- for system, column in id_columns %}
    left join {{ id_map }} as by_{{ system }}
        on by_{{ system }}.source_system = '{{ system }}' and {{ relation }}.{{ column }} = by_{{ system }}.source_id
    {%- endfor %}
{%- endmacro %}
