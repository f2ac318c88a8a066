{#-
    Age in full years of a date of birth at a reference date (default: as_of):
    the difference of the dates written as yyyymmdd numbers, divided by 10,000
    and rounded down, so a birthday on the reference day counts and someone born
    on 29 February turns a year older on 1 March in non-leap years. Null stays null.
-#}
{% macro age_in_years(date_of_birth, reference_date=none) -%}
    {%- set ref_date = reference_date if reference_date is not none else as_of_date() -%}
    cast(floor(({{ _yyyymmdd(ref_date) }} - {{ _yyyymmdd(date_of_birth) }}) / 10000) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro _yyyymmdd(date_expr) -%}
    (extract(year from {{ date_expr }}) * 10000 + extract(month from {{ date_expr }}) * 100 + extract(day from {{ date_expr }}))
{%- endmacro %}
