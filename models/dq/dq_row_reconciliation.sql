{#-
    Every raw row accounted for, per raw table:
    raw rows = accepted rows (bronze) + rejected rows (distinct rows in
    dq_rejected_rows) + exact duplicate copies collapsed.
-#}

with

{% for entry in dq_registry() %}
{%- set bronze_model = entry.model | replace('stg_', 'brz_', 1) %}
counts_{{ loop.index }} as (
    select
        '{{ entry.source_table }}' as source_table,
        (select count(*) from {{ source(staging_source_name(entry.model), entry.source_table) }}) as raw_rows,
        (select count(*) from {{ ref(bronze_model) }}) as accepted_rows,
        (
            select count(distinct row_hash)
            from {{ ref('dq_rejected_rows') }}
            where source_table = '{{ entry.source_table }}'
        ) as rejected_rows,
        (
            select max(collapsed_duplicates)
            from {{ ref('dq_table_stats') }}
            where source_table = '{{ entry.source_table }}'
        ) as collapsed_duplicates
),

{% endfor %}
unioned as (
    {%- for entry in dq_registry() %}
    select * from counts_{{ loop.index }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        source_table,
        raw_rows,
        accepted_rows,
        rejected_rows,
        collapsed_duplicates,
        raw_rows - accepted_rows - rejected_rows - collapsed_duplicates as unaccounted_rows,
        raw_rows = accepted_rows + rejected_rows + collapsed_duplicates as is_balanced
    from unioned
)

select * from final
