{#-
    The history kept in every bronze model is consistent: each version
    (_record_id + _row_hash) is held once, each record has exactly one current
    version, and _superseded_at is set exactly on the versions no longer
    current. Returns each record that breaks one of these.
-#}
{{ config(severity='error') }}

with

{% for entry in dq_registry() %}
per_record_{{ loop.index }} as (
    select
        _record_id,
        count(*) as versions,
        count(distinct _row_hash) as distinct_versions,
        sum(case when _is_current then 1 else 0 end) as current_versions,
        sum(case when _is_current = (_superseded_at is not null) then 1 else 0 end) as inconsistent_versions
    from {{ ref(entry.model | replace('stg_', 'brz_', 1)) }}
    group by _record_id
),

problems_{{ loop.index }} as (
    select
        '{{ entry.source_table }}' as source_table,
        _record_id as record_id,
        case
            when versions <> distinct_versions then 'a version is held more than once'
            when current_versions <> 1 then cast(current_versions as {{ dbt.type_string() }}) || ' current versions'
            else 'current but superseded, or superseded without a date'
        end as problem
    from per_record_{{ loop.index }}
    where versions <> distinct_versions or current_versions <> 1 or inconsistent_versions > 0
),

{% endfor %}
final as (
    {%- for entry in dq_registry() %}
    select * from problems_{{ loop.index }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
