{#- Segment code of a literal value (Jinja) -#}
{% macro customer_segment_code(family, value) -%}
    {{ return(family ~ '_' ~ (value | lower | replace(' ', '_') | replace('-', '_') | replace("'", ''))) }}
{%- endmacro %}

{#- Segment code of a column (SQL expression); null when the column is null -#}
{% macro customer_segment_code_sql(family, column) -%}
    '{{ family }}_' || replace(replace(replace(lower({{ column }}), ' ', '_'), '-', '_'), '''', '')
{%- endmacro %}
