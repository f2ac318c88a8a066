{#-
    Load times of the raw tables (GEN-05 as source freshness: how long ago a
    table was delivered, not how old its content is).

    <raw schema>._load_log holds one row per table per load: table_name,
    loaded_rows, loaded_at (UTC), loaded_by, manifest_verified. It is appended
    to by scripts/load_raw.py in the transaction that loads a delivery, and by
    the sample seeds' post-hook record_seed_load() when the raw tables are the
    sample seeds. Every source table reads its latest load with
    loaded_at_query: raw_loaded_at('<table>'), so `dbt source freshness` warns
    after 24 hours and fails after 72 (the sources' freshness config).
-#}
{#- The raw schema, by the project's one schema rule (generate_schema_name), as load_raw.py names it. -#}
{% macro raw_schema_name() -%}
    {{ return(generate_schema_name('raw', none) | trim) }}
{%- endmacro %}

{% macro raw_load_log_relation() -%}
    {{ return(raw_schema_name() ~ '._load_log') }}
{%- endmacro %}

{#- The latest load time of one raw table, for a source's loaded_at_query. -#}
{% macro raw_loaded_at(table_name) -%}
    select max(loaded_at) from {{ raw_load_log_relation() }} where table_name = '{{ table_name }}'
{%- endmacro %}

{#- on-run-start, when the raw tables are the sample seeds: the raw schema and the log, created once before any
    seed runs (the seeds' post-hooks run in parallel threads; two of them creating the table raced on DuckDB:
    "Catalog write-write conflict on create"). -#}
{% macro raw_load_log_prepare() -%}
    {%- if execute and var('load_sample_data') -%}
        {%- do adapter.create_schema(api.Relation.create(database=target.database, schema=raw_schema_name())) -%}
        {%- do run_query("create table if not exists " ~ raw_load_log_relation() ~ " (table_name varchar(64), "
            ~ "loaded_rows bigint, loaded_at " ~ dbt.type_timestamp() ~ ", loaded_by varchar(64), manifest_verified boolean)") -%}
    {%- endif -%}
    select 1 as raw_load_log_ready
{%- endmacro %}

{#- Seed post-hook: record this seed's load (the log exists: raw_load_log_prepare, on-run-start). -#}
{% macro record_seed_load() -%}
    insert into {{ raw_load_log_relation() }} (table_name, loaded_rows, loaded_at, loaded_by, manifest_verified)
    select
        '{{ this.identifier }}',
        count(*),
        cast({{ dbt.current_timestamp_in_utc_backcompat() }} as {{ dbt.type_timestamp() }}),
        'dbt seed (sample)',
        false
    from {{ this }}
{%- endmacro %}
