{#-
    The median of a numeric expression as an aggregate (nulls ignored; null over no
    values): the continuous 50th percentile, the mean of the two middle values when
    their number is even. DuckDB and Postgres share the ordered-set aggregate
    percentile_cont(0.5) within group (order by ...).
-#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'customer_analytics')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}
