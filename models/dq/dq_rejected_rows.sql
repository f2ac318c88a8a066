{#-
    Every rejected raw row, once per rule it breaks (DDA: "a record breaking
    two rules appears twice"). Exact duplicate copies are collapsed, not
    rejected, so they never appear here. Rows here never reach bronze.
    Outside prod (var pii_unmasked_targets) a detail that quotes a PII column
    (seed pii_columns) shows the column's name and a keyed hash, not the value.
    Only pii_reader may read it (macros/privacy/roles.sql), unlike the rest of
    the report.
-#}
{{ config(grants={'select': ['pii_reader']}) }}

with

pii_columns as (
    select column_name from {{ ref('pii_columns') }}
),

rules as (
    select
        rule_id,
        description as rule_description
    from {{ ref('dq_rules') }}
),

{% for entry in dq_registry() %}
{%- set i = loop.index %}
failed_{{ i }} as (
    select
        _record_id,
        {%- for rule in entry.rules %}
        {{ dq_column(rule) }},
        {%- endfor %}
        _row_hash
    from {{ ref(entry.model) }}
    where _copy_number = 1 and not _is_accepted
),

rejected_{{ i }} as (
    {%- for rule in entry.rules %}
    select
        '{{ entry.source_table }}' as source_table,
        '{{ entry.entity }}' as entity,
        coalesce(_record_id, '<missing key>') as record_id,
        '{{ rule }}' as rule_id,
        {{ dq_column(rule) }} as detail,
        _row_hash as row_hash
    from failed_{{ i }}
    where {{ dq_column(rule) }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{% endfor %}
unioned as (
    {%- for entry in dq_registry() %}
    select * from rejected_{{ loop.index }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        unioned.source_table,
        unioned.entity,
        unioned.record_id,
        unioned.rule_id,
        rules.rule_description,
        {%- if pii_is_unmasked() %}
        unioned.detail,
        {%- else %}
        -- GEN-06: a detail quoting a PII column (seed pii_columns) keeps the column's name, not its value
        case
            when
                exists (
                    select 1 from pii_columns
                    where unioned.detail like '%' || pii_columns.column_name || '=%'
                )
                then {{ dbt.split_part('unioned.detail', "'='", 1) }} || '='
                    || substr({{ pii_keyed_hash('unioned.detail') }}, 1, 12) || ' (masked)'
            else unioned.detail
        end as detail,
        {%- endif %}
        unioned.row_hash,
        {{ as_of_timestamp() }} as as_of,
        '{{ invocation_id }}' as run_id
    from unioned
    left join rules
        on unioned.rule_id = rules.rule_id
)

select * from final
