-- What was held back in this run, per rule, with three example values:
-- the report a data owner reads before answering the delivering team.
with

rejected as (
    select * from {{ ref('dq_rejected_rows') }}
),

examples as (
    select
        rule_id,
        detail,
        row_number() over (partition by rule_id order by record_id) as example_rank
    from rejected
),

per_rule as (
    select
        rule_id,
        max(rule_description) as rule_description,
        max(source_table) as source_table,
        count(*) as rejected_rows
    from rejected
    group by rule_id
),

final as (
    select
        per_rule.rule_id,
        per_rule.source_table,
        per_rule.rule_description,
        per_rule.rejected_rows,
        {{ dbt.listagg('examples.detail', "' | '", 'order by examples.detail') }} as example_details
    from per_rule
    left join examples
        on per_rule.rule_id = examples.rule_id and examples.example_rank <= 3
    group by per_rule.rule_id, per_rule.source_table, per_rule.rule_description, per_rule.rejected_rows
)

select * from final
order by rejected_rows desc
