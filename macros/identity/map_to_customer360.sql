{#-
    The rows of `relation` (a CTE or relation name) with the customer360_id of
    the first of its identifiers that slv_customer_id_map knows, in the order given:
    id_columns = [(source_system, column), ...], e.g. an order names a CRM
    customer, a loyalty member and a web user; the first one resolved wins (they
    resolve to the same customer unless the order names two people).

    id_map defaults to slv_customer_id_map itself, not a CTE over it: Postgres
    materialises a CTE used more than once and then guesses 0.5 % of its rows
    per system, hashes the 200,000 orders instead of the id map, and its hash
    batches explode on the many null ids (80 s instead of 6 s for slv_customer_orders at 100,000 people).
-#}
{% macro map_to_customer360(relation, id_columns, id_map=none) -%}
    {%- set id_map = id_map if id_map is not none else ref('slv_customer_id_map') -%}
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
