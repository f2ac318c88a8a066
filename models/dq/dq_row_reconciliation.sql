{#-
    Every raw row of this delivery accounted for, per raw table:
    raw rows = accepted rows + rejected rows (distinct rows in
    dq_rejected_rows) + exact duplicate copies collapsed.
    Raw rows are counted through staging (dq_table_stats), which keeps every
    raw row, so this model never reads the sources again.
    Accepted rows are the distinct rows of this delivery that broke no rule
    (dq_table_stats), not the rows of bronze, which keeps every version of
    earlier deliveries too; the test bronze_holds_every_accepted_row checks
    that each of them is in bronze.
    Accepted rows split into retained rows (silver may hold them) and rows
    retired by GEN-03: accepted, kept in bronze, but older than the retention
    window, so no silver or gold model holds them (dq_table_stats; the
    registry's `retention` says which tables silver filters by age).
-#}

with

stats as (
    -- staging filters nothing, so its rows are the raw rows of the delivery
    select
        source_table,
        raw_rows,
        distinct_rows - failed_rows as accepted_rows,
        retired_rows,
        collapsed_duplicates
    from {{ ref('dq_table_stats') }}
    where rule_id is null
),

rejected as (
    select
        source_table,
        count(distinct row_hash) as rejected_rows
    from {{ ref('dq_rejected_rows') }}
    group by source_table
),

final as (
    select
        stats.source_table,
        stats.raw_rows,
        stats.accepted_rows,
        stats.accepted_rows - stats.retired_rows as retained_rows,
        stats.retired_rows,
        coalesce(rejected.rejected_rows, 0) as rejected_rows,
        stats.collapsed_duplicates,
        stats.raw_rows - stats.accepted_rows - coalesce(rejected.rejected_rows, 0) - stats.collapsed_duplicates
            as unaccounted_rows,
        stats.raw_rows = stats.accepted_rows + coalesce(rejected.rejected_rows, 0) + stats.collapsed_duplicates
            as is_balanced
    from stats
    left join rejected
        on stats.source_table = rejected.source_table
)

select * from final
