{#-
    One schema per layer (raw, reference, staging, bronze, silver, gold, dq,
    snapshots). In the prod target the layer name is the schema; elsewhere it
    is prefixed with the developer's target schema (dbt_<user>_staging, ...),
    so developers and CI runs never collide. scripts/load_raw.py and the
    source definitions follow the same rule for the raw schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.name == 'prod' -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
