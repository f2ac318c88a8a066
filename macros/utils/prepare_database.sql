{#- on-run-start: what the warehouse needs before models run. Postgres: the
    fuzzystrmatch extension for levenshtein() (identity resolution). -#}
{% macro prepare_database() %}
    {%- if target.type == 'postgres' -%}
        create extension if not exists fuzzystrmatch
    {%- else -%}
        select 1 as ready
    {%- endif -%}
{% endmacro %}
