{#-
    What identity resolution matches on, normalised once in staging:
    e-mail trimmed and lower-cased; phone to E.164 using the country's
    calling code and trunk prefix (seed phone_calling_codes), numbers in
    national format without a country taking var phone_default_country.
-#}
{% macro normalize_email(expr) -%}
    nullif(lower(trim({{ expr }})), '')
{%- endmacro %}

{% macro is_valid_email(normalized_expr) -%}
    {{ regex_match(normalized_expr, '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$') }}
{%- endmacro %}

{% macro normalize_country(expr) -%}
    nullif(upper(trim({{ expr }})), '')
{%- endmacro %}

{% macro normalize_phone(expr, country_expr=none) -%}
    {%- set codes = reference_rows('phone_calling_codes', 'country_code') -%}
    {%- set digits = regex_replace_all(expr, '[^0-9]', '') -%}
    {%- set country = "coalesce(" ~ normalize_country(country_expr) ~ ", '" ~ var('phone_default_country') ~ "')" if country_expr else "'" ~ var('phone_default_country') ~ "'" -%}
    (case
        when length({{ digits }}) between 7 and 15 then
            case
                when trim({{ expr }}) like '+%' then '+' || {{ digits }}
                when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
                {%- for spec in codes %}
                {%- set code = spec.calling_code | string %}
                {%- set trunk = (spec.trunk_prefix or '') | string %}
                when {{ country }} = '{{ spec.country_code }}' then
                    {%- if code == '1' %}
                    case
                        when length({{ digits }}) = 10 then '+1' || {{ digits }}
                        when length({{ digits }}) = 11 and {{ digits }} like '1%' then '+' || {{ digits }}
                    end
                    {%- elif trunk %}
                    case
                        when {{ digits }} like '{{ trunk }}%' then '+{{ code }}' || substr({{ digits }}, {{ trunk | length + 1 }})
                        else '+{{ code }}' || {{ digits }}
                    end
                    {%- else %}
                    '+{{ code }}' || {{ digits }}
                    {%- endif %}
                {%- endfor %}
            end
    end)
{%- endmacro %}
