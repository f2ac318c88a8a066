{#-
    The run's reference time ("now" of the DDA rules): the `as_of` variable
    (ISO 8601) when set, else the current timestamp, as a UTC timestamp
    without time zone. Every rule that compares with "now" uses this macro.
-#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('as_of') -%}
    {%- if as_of -%}
        {%- set text = as_of | string | trim -%}
        {%- if modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+]00:?00)?)?$', text) is none -%}
            {{ exceptions.raise_compiler_error("var 'as_of' must be an ISO 8601 UTC timestamp such as 2026-06-30T00:00:00Z, got '" ~ text ~ "'") }}
        {%- endif -%}
        {%- set clean = text.replace('T', ' ').replace('Z', '')[:19] -%}
        {%- if clean | length == 10 %}{% set clean = clean ~ ' 00:00:00' %}{% endif -%}
        cast('{{ clean }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{% macro as_of_date() -%}
    cast({{ as_of_timestamp() }} as date)
{%- endmacro %}
