{#- Source name of a staging model: stg_crm__customers -> crm -#}
{% macro staging_source_name(model_name) -%}
    {{ return(model_name[4:].split('__')[0]) }}
{%- endmacro %}

{#- Columns of the typed row, without the rule flags and raw text that only
    staging and the rejection report need. -#}
{% macro typed_columns(relation) -%}
    {%- set dropped = ['_copy_number', '_key_rank', '_campaign_day_rank', '_as_of_date', '_is_accepted', '_fx_rate_month'] -%}
    {%- set keep = [] -%}
    {%- for col in adapter.get_columns_in_relation(relation) -%}
        {%- set name = col.name | lower -%}
        {%- if not (name.startswith('dq_') or name.endswith('_raw') or name in dropped) -%}
            {%- do keep.append(adapter.quote(col.name) if ' ' in col.name else col.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(keep) }}
{%- endmacro %}

{#-
    Bronze: every accepted version of the records of one raw table, typed,
    with load metadata. Incremental (configured here, so every bronze model is
    the same one-line call): a run inserts the versions it has not seen before
    (key _record_id + _row_hash: new records and changed ones) and leaves the
    versions already loaded as they were (their _batch_id and _loaded_at stay
    those of the load that first brought them); only the flags of records that
    got a new current version are rewritten (delete+insert of those records'
    versions, which works the same on DuckDB and Postgres).

    _is_current: the latest version of each record, by the table's version_time
    (macros/dq/dq_registry.sql: when the source last changed the record) where
    it has one, then the version delivered in this run, then the latest load.
    A record missing from a delivery, or rejected in it, keeps its last accepted
    version as current (a cumulative extract does not delete; a bad row never
    replaces a good one). A full refresh rebuilds from the current delivery
    alone, which gives the same current versions for every record it accepts.
    _superseded_at: when a version stopped being current (null while current).
    Versions are keyed on the raw row, so after changing how staging types or
    normalises a column, rebuild bronze with --full-refresh (history is lost).
-#}
{% macro bronze_accepted_rows(staging_model) -%}
    {{- config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['_record_id', '_row_hash'],
        on_schema_change='append_new_columns'
    ) -}}
    {%- set relation = ref(staging_model) -%}
    {%- set version_time = dq_registry_entry_for_model(staging_model).get('version_time') -%}
    {%- set staging_columns = [] -%}
    {%- if execute -%}
        {%- set keep = typed_columns(relation) -%}
        {%- for col in adapter.get_columns_in_relation(relation) -%}
            {%- set name = adapter.quote(col.name) if ' ' in col.name else col.name -%}
            {%- if name in keep %}{% do staging_columns.append(col) %}{% endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for col in staging_columns %}{% do columns.append(adapter.quote(col.name) if ' ' in col.name else col.name) %}{% endfor -%}
    {#- the staging view does not exist yet only when compiling (e.g. sqlfluff) before the first build -#}
    {%- set compiling_only = columns | length == 0 -%}
    {%- set loaded_at = "cast('" ~ run_started_at.strftime("%Y-%m-%d %H:%M:%S") ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set incremental = is_incremental() and not compiling_only -%}
with

delivered as (
    -- the accepted rows of this delivery
    select
        {% if compiling_only %}*{% else %}{{ columns | join(',\n        ') }}{% endif %},
        cast(null as {{ dbt.type_boolean() }}) as _is_current,
        '{{ invocation_id }}' as _batch_id,
        {{ loaded_at }} as _loaded_at,
        cast(null as {{ dbt.type_timestamp() }}) as _superseded_at
    from {{ relation }}
    where _is_accepted
),
{%- if incremental %}
{%- set existing = {} -%}
{%- for col in adapter.get_columns_in_relation(this) %}{% do existing.update({col.name | lower: true}) %}{% endfor %}

bronze as (
    -- the versions loaded before (a column bronze does not have yet reads as null)
    select
        {%- for col in staging_columns %}
        {% if col.name | lower in existing %}{{ columns[loop.index0] }}{% else %}cast(null as {{ col.data_type }}) as {{ columns[loop.index0] }}{% endif %},
        {%- endfor %}
        {% if '_is_current' in existing %}_is_current{% else %}cast(null as {{ dbt.type_boolean() }}) as _is_current{% endif %},
        _batch_id,
        _loaded_at,
        {% if '_superseded_at' in existing %}_superseded_at{% else %}cast(null as {{ dbt.type_timestamp() }}) as _superseded_at{% endif %}
    from {{ this }}
),

all_rows as (
    select
        bronze.*,
        false as _from_delivery
    from bronze
    union all
    select
        delivered.*,
        true as _from_delivery
    from delivered
),

per_version as (
    -- windows, not joins: the planner cannot estimate the rows of a staging
    -- view, and a misjudged join on Postgres turns into nested loops
    select
        all_rows.*,
        max(case when _from_delivery then 1 else 0 end)
            over (partition by _record_id, _row_hash) as _delivered_now,
        max(case when _from_delivery then 0 else 1 end)
            over (partition by _record_id, _row_hash) as _loaded_before,
        max(case when not _from_delivery and _is_current then 1 else 0 end)
            over (partition by _record_id, _row_hash) as _current_before
    from all_rows
),

per_record as (
    -- touched: the record has a delivered version that is not its current one
    -- in bronze (a new record, a changed one, or an older version again)
    select
        per_version.*,
        max(case when _from_delivery and _current_before = 0 then 1 else 0 end)
            over (partition by _record_id) as _is_touched
    from per_version
),

versions as (
    -- every version of a touched record, once: as loaded before (load
    -- metadata kept) or, when not seen before, as delivered now
    select
        {%- for col in columns %}
        {{ col }},
        {%- endfor %}
        _is_current,
        _batch_id,
        _loaded_at,
        _superseded_at,
        coalesce(_is_current, false) as _was_current,
        _delivered_now = 1 as _in_delivery
    from per_record
    where _is_touched = 1 and (not _from_delivery or _loaded_before = 0)
),
{%- else %}

versions as (
    select
        delivered.*,
        false as _was_current,
        true as _in_delivery
    from delivered
),
{%- endif %}

ranked as (
    select
        versions.*,
        row_number() over (
            partition by _record_id
            order by
                {%- if version_time %}
                {{ version_time }} desc nulls last,
                {%- endif %}
                case when _in_delivery then 1 else 0 end desc,
                _loaded_at desc,
                _row_hash desc
        ) as _version_rank
    from versions
),

final as (
    select
        {% if compiling_only %}*{% else %}{{ columns | join(',\n        ') }}{% endif %},
        _version_rank = 1 as _is_current,
        '{{ staging_source_name(staging_model) }}' as _source_system,
        _batch_id,
        _loaded_at,
        case
            when _version_rank = 1 then null
            when _was_current or _batch_id = '{{ invocation_id }}' then {{ loaded_at }}
            else _superseded_at
        end as _superseded_at
    from ranked
)

select * from final
{%- endmacro %}
