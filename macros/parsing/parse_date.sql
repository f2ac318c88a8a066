{#-
    Dates arrive as text. A value is a date when it is ISO YYYY-MM-DD and a
    real calendar day; anything else parses to null (and the staging model
    flags it). The checks run inside CASE so no engine ever casts a bad value.
-#}
{% macro iso_date_is_valid(expr) -%}
    (case
        when {{ regex_match('trim(' ~ expr ~ ')', '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') }}
            then (
                cast(substr(trim({{ expr }}), 6, 2) as {{ dbt.type_int() }}) between 1 and 12
                and cast(substr(trim({{ expr }}), 9, 2) as {{ dbt.type_int() }}) between 1 and
                {{ days_in_month('cast(substr(trim(' ~ expr ~ '), 1, 4) as ' ~ dbt.type_int() ~ ')',
                                 'cast(substr(trim(' ~ expr ~ '), 6, 2) as ' ~ dbt.type_int() ~ ')') }}
            )
        else false
    end)
{%- endmacro %}

{% macro days_in_month(year_expr, month_expr) -%}
    (case
        when {{ month_expr }} = 2 then
            case
                when mod({{ year_expr }}, 400) = 0 then 29
                when mod({{ year_expr }}, 100) = 0 then 28
                when mod({{ year_expr }}, 4) = 0 then 29
                else 28
            end
        when {{ month_expr }} in (4, 6, 9, 11) then 30
        else 31
    end)
{%- endmacro %}

{% macro parse_date(expr) -%}
    (case
        when {{ iso_date_is_valid(expr) }}
            then cast(trim({{ expr }}) as date)
    end)
{%- endmacro %}
