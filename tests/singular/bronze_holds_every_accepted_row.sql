{#-
    Every accepted row of the current delivery is in its bronze model, as the
    version _record_id + _row_hash (new versions inserted, known ones kept).
    Returns each accepted row bronze does not hold.
-#}
{{ config(severity='error') }}

with

{% for entry in dq_registry() %}
missing_{{ loop.index }} as (
    select
        '{{ entry.source_table }}' as source_table,
        accepted._record_id as record_id,
        accepted._row_hash as row_hash
    from {{ ref(entry.model) }} as accepted
    left join {{ ref(entry.model | replace('stg_', 'brz_', 1)) }} as bronze
        on accepted._record_id = bronze._record_id and accepted._row_hash = bronze._row_hash
    where accepted._is_accepted and bronze._record_id is null
),

{% endfor %}
final as (
    {%- for entry in dq_registry() %}
    select * from missing_{{ loop.index }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
