{#-
    An amount of money in the reporting currency: rounded to the cent once, and
    typed like every other amount (dbt.type_numeric()), so engines agree on
    both value and scale (Postgres' round() returns an unconstrained numeric).
-#}
{% macro money(expression) -%}
    cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), 2) as {{ dbt.type_numeric() }})
{%- endmacro %}
