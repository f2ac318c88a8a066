{#-
    Every raw row of this delivery accounted for, per raw table:
    raw rows = accepted rows + rejected rows (distinct rows in
    dq_rejected_rows) + exact duplicate copies collapsed.
    Accepted rows are the distinct rows of this delivery that broke no rule
    (dq_table_stats), not the rows of bronze, which keeps every version of
    earlier deliveries too; the test bronze_holds_every_accepted_row checks
    that each of them is in bronze.
-#}

with

stats as (
    select
        source_table,
        distinct_rows - failed_rows as accepted_rows,
        collapsed_duplicates
    from {{ ref('dq_table_stats') }}
    where rule_id is null
),

{% for entry in dq_registry() %}
counts_{{ loop.index }} as (
    select
        '{{ entry.source_table }}' as source_table,
        (select count(*) from {{ source(staging_source_name(entry.model), entry.source_table) }}) as raw_rows,
        (
            select count(distinct row_hash)
            from {{ ref('dq_rejected_rows') }}
            where source_table = '{{ entry.source_table }}'
        ) as rejected_rows
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
        unioned.source_table,
        unioned.raw_rows,
        stats.accepted_rows,
        unioned.rejected_rows,
        stats.collapsed_duplicates,
        unioned.raw_rows - stats.accepted_rows - unioned.rejected_rows - stats.collapsed_duplicates
            as unaccounted_rows,
        unioned.raw_rows = stats.accepted_rows + unioned.rejected_rows + stats.collapsed_duplicates as is_balanced
    from unioned
    inner join stats
        on unioned.source_table = stats.source_table
)

select * from final
