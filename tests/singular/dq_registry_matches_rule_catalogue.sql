{#-
    The row rules flagged in staging (macros/dq/dq_registry.sql) and the rule
    catalogue (seed dq_rules) must list the same rules for the same tables.
    Returns every rule present in one and missing from the other.
-#}
with

registry as (
    {%- for entry in dq_registry() %}
    {%- set outer = loop %}
    {%- for rule in entry.rules %}
    select
        '{{ rule }}' as rule_id,
        '{{ entry.source_table }}' as source_table
    {%- if not (outer.last and loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

catalogue as (
    select
        rule_id,
        source_table
    from {{ ref('dq_rules') }}
    where kind = 'row'
),

final as (
    select
        'missing from dq_rules' as problem,
        registry.rule_id,
        registry.source_table
    from registry
    left join catalogue
        on registry.rule_id = catalogue.rule_id and registry.source_table = catalogue.source_table
    where catalogue.rule_id is null
    union all
    select
        'not flagged in staging' as problem,
        catalogue.rule_id,
        catalogue.source_table
    from catalogue
    left join registry
        on catalogue.rule_id = registry.rule_id and catalogue.source_table = registry.source_table
    where registry.rule_id is null
)

select * from final
