{#-
    ISO 8601 timestamps as text -> UTC timestamp without time zone.
    Accepted: YYYY-MM-DD[T ]hh:mm:ss[.ffffff][Z|+hh:mm|+hhmm]; no offset = UTC.
    Fractions of a second are dropped. Anything else -> null.
-#}
{% macro iso_timestamp_is_valid(expr) -%}
    {%- set t = 'trim(' ~ expr ~ ')' -%}
    (case
        when {{ regex_match(t, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,9})?(Z|[+-][0-9]{2}:?[0-9]{2})?$') }}
            then (
                {{ iso_date_is_valid('substr(' ~ t ~ ', 1, 10)') }}
                and cast(substr({{ t }}, 12, 2) as {{ dbt.type_int() }}) < 24
                and cast(substr({{ t }}, 15, 2) as {{ dbt.type_int() }}) < 60
                and cast(substr({{ t }}, 18, 2) as {{ dbt.type_int() }}) < 60
            )
        else false
    end)
{%- endmacro %}

{% macro iso_offset_minutes(expr) -%}
    {%- set t = 'trim(' ~ expr ~ ')' -%}
    (case
        when {{ regex_match(t, '[+-][0-9]{2}:[0-9]{2}$') }}
            then (case when substr({{ t }}, length({{ t }}) - 5, 1) = '-' then -1 else 1 end)
                * (cast(substr({{ t }}, length({{ t }}) - 4, 2) as {{ dbt.type_int() }}) * 60
                   + cast(substr({{ t }}, length({{ t }}) - 1, 2) as {{ dbt.type_int() }}))
        when {{ regex_match(t, '[+-][0-9]{4}$') }}
            then (case when substr({{ t }}, length({{ t }}) - 4, 1) = '-' then -1 else 1 end)
                * (cast(substr({{ t }}, length({{ t }}) - 3, 2) as {{ dbt.type_int() }}) * 60
                   + cast(substr({{ t }}, length({{ t }}) - 1, 2) as {{ dbt.type_int() }}))
        else 0
    end)
{%- endmacro %}

{% macro parse_timestamp(expr) -%}
    (case
        when {{ iso_timestamp_is_valid(expr) }}
            then {{ dbt.dateadd(
                'minute',
                '-1 * ' ~ iso_offset_minutes(expr),
                'cast(replace(substr(trim(' ~ expr ~ '), 1, 19), \'T\', \' \') as ' ~ dbt.type_timestamp() ~ ')'
            ) }}
    end)
{%- endmacro %}
