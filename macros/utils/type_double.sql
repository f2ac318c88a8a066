{#-
    A 64-bit floating point type. dbt.type_float() is 32-bit REAL on DuckDB,
    too coarse for shares that must add up (attribution credits).
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'customer_analytics')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}
