{#-
    One scan of each staging view: rows, distinct rows, collapsed copies,
    rows failing each rule and any rule, empty required cells (GEN-01), and
    accepted rows older than the retention window (GEN-03: retired, kept in
    bronze and never in silver; registry key `retention`, 0 for a table
    silver keeps whatever its age).
    Counts are 0, not NULL, for a table delivered empty (rule DEL-01).
    dq_rule_summary and dq_row_reconciliation read these counts instead of
    scanning every staging view again. One row per raw table and rule
    (rule_id null for the table-level counts).
-#}

with

{% for entry in dq_registry() %}
{%- set retention = entry.get('retention') %}
{%- if retention %}
{%- set cutoff = 'cast(' ~ retention_cutoff() ~ ' as date)' if retention.get('grain') == 'date' else retention_cutoff() %}
{%- endif %}
{%- if retention and retention.via %}
retired_parents_{{ loop.index }} as (
    -- accepted parent records older than the retention cutoff, by their latest time (order lines: their order)
    select {{ retention.key }} as parent_key
    from {{ ref(retention.via) }}
    where _copy_number = 1 and _is_accepted
    group by {{ retention.key }}
    having max({{ retention.time }}) < {{ cutoff }}
),

{%- set retired = retention.key ~ ' in (select parent_key from retired_parents_' ~ loop.index ~ ')' %}
{%- elif retention %}
{%- set retired = retention.time ~ ' < ' ~ cutoff %}
{%- endif %}
counts_{{ loop.index }} as (
    select
        count(*) as raw_rows,
        coalesce(sum(case when _copy_number = 1 then 1 else 0 end), 0) as distinct_rows,
        coalesce(sum(case when _copy_number > 1 then 1 else 0 end), 0) as collapsed_duplicates,
        coalesce(sum(case when _copy_number = 1 and not _is_accepted then 1 else 0 end), 0) as failed_any,
        {%- for rule in entry.rules %}
        coalesce(sum(case when _copy_number = 1 and {{ dq_column(rule) }} is not null then 1 else 0 end), 0)
            as {{ dq_column(rule) }},
        {%- endfor %}
        {%- for field in entry.required %}
        coalesce(sum(case when _copy_number = 1 and nullif(trim({{ field }}), '') is null then 1 else 0 end), 0)
        {%- if not loop.last %} +{% endif %}
        {%- endfor %} as missing_cells,
        {%- if retention %}
        coalesce(sum(case when _copy_number = 1 and _is_accepted and {{ retired }} then 1 else 0 end), 0)
            as retired_rows
        {%- else %}
        0 as retired_rows
        {%- endif %}
    from {{ ref(entry.model) }}
),

{% endfor %}
unioned as (
    {%- for entry in dq_registry() %}
    {%- set i = loop.index %}
    select
        '{{ entry.source_table }}' as source_table,
        '{{ entry.entity }}' as entity,
        cast(null as {{ dbt.type_string() }}) as rule_id,
        raw_rows,
        distinct_rows,
        collapsed_duplicates,
        failed_any as failed_rows,
        {{ entry.required | length }} as required_fields,
        missing_cells,
        retired_rows
    from counts_{{ i }}
    {%- for rule in entry.rules %}
    union all
    select
        '{{ entry.source_table }}' as source_table,
        '{{ entry.entity }}' as entity,
        '{{ rule }}' as rule_id,
        raw_rows,
        distinct_rows,
        collapsed_duplicates,
        {{ dq_column(rule) }} as failed_rows,
        {{ entry.required | length }} as required_fields,
        missing_cells,
        retired_rows
    from counts_{{ i }}
    {%- endfor %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select * from unioned
)

select * from final
