{#-
    A small constant table from a Jinja list of dicts (same keys in each):
    select ... union all select ...; strings become quoted literals, numbers
    stay numbers. For mappings kept as vars (campaign type -> channel) and
    lists of names (attribution models) that SQL joins against.
-#}
{% macro literal_rows(rows) -%}
    {%- for row in rows %}
    select
        {%- for column, value in row.items() %}
        {{ "'" ~ (value | replace("'", "''")) ~ "'" if value is string else value }} as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
