{#- Numbers as text -> typed numbers; anything that is not a plain decimal -> null. -#}
{% macro parse_decimal(expr) -%}
    (case
        when {{ regex_match('trim(' ~ expr ~ ')', '^-?[0-9]+([.][0-9]+)?$') }}
            then cast(trim({{ expr }}) as {{ dbt.type_numeric() }})
    end)
{%- endmacro %}

{% macro parse_integer(expr) -%}
    (case
        when {{ regex_match('trim(' ~ expr ~ ')', '^-?[0-9]{1,18}$') }}
            then cast(trim({{ expr }}) as {{ dbt.type_bigint() }})
    end)
{%- endmacro %}

{% macro parse_boolean(expr) -%}
    (case
        when lower(trim({{ expr }})) in ('true', 't', 'yes', 'y', '1') then true
        when lower(trim({{ expr }})) in ('false', 'f', 'no', 'n', '0') then false
    end)
{%- endmacro %}
