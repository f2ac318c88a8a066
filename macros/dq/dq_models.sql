{#- Source name of a staging model: stg_crm__customers -> crm -#}
{% macro staging_source_name(model_name) -%}
    {{ return(model_name[4:].split('__')[0]) }}
{%- endmacro %}

{#- Columns of the typed row, without the rule flags and raw text that only
    staging and the rejection report need. -#}
{% macro typed_columns(relation) -%}
    {%- set dropped = ['_copy_number', '_key_rank', '_campaign_day_rank', '_as_of_date', '_is_accepted'] -%}
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
    Bronze: the accepted rows of one raw table (first copy, no row rule
    failed), typed, with load metadata. The column list is read from the
    staging view at run time.
-#}
{% macro bronze_accepted_rows(staging_model) -%}
    {%- set relation = ref(staging_model) -%}
    {%- set columns = typed_columns(relation) if execute else [] -%}
    {#- the staging view does not exist yet only when compiling (e.g. sqlfluff) before the first build -#}
    {%- if columns | length == 0 %}{% set columns = ['*'] %}{% endif %}
with

accepted as (
    select
        {{ columns | join(',\n        ') }}
    from {{ relation }}
    where _is_accepted
),

final as (
    select
        *,
        true as _is_current,
        '{{ staging_source_name(staging_model) }}' as _source_system,
        '{{ invocation_id }}' as _batch_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as _loaded_at
    from accepted
)

select * from final
{%- endmacro %}
