{#-
    The row rules each staging model flags (its dq_<rule> columns, read from
    the built model) and the rule catalogue (seed dq_rules, kind = row, which
    the registry takes its rules from) must be the same. A flag column the
    catalogue does not list would be ignored by _is_accepted and by the
    rejected-row report, so the row would pass unjudged; a catalogue rule
    without its column fails the staging model's build before this test runs.
    Returns every rule present in one and missing from the other.
-#}
{%- set flagged = [] -%}
{%- for entry in dq_tables() -%}
{%- set relation = ref(entry.model) -%}
{%- set columns = adapter.get_columns_in_relation(relation) if execute else [] -%}
{%- for col in columns if modules.re.match('^dq_[a-z]{3}_[0-9]{2}$', col.name | lower) -%}
{%- do flagged.append({'source_table': entry.source_table, 'column': col.name | lower}) -%}
{%- endfor -%}
{%- endfor -%}

with

flagged as (
    {%- for item in flagged %}
    select
        '{{ item.source_table }}' as source_table,
        '{{ item.column }}' as flag_column
    union all
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as flag_column
),

registry_tables as (
    {%- for entry in dq_tables() %}
    select '{{ entry.source_table }}' as source_table
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

catalogue as (
    select
        rules.rule_id,
        -- a row rule of source_table '*' (GEN-07) is flagged by every staging model
        coalesce(registry_tables.source_table, rules.source_table) as source_table,
        'dq_' || replace(lower(rules.rule_id), '-', '_') as flag_column
    from {{ ref('dq_rules') }} as rules
    left join registry_tables
        on rules.source_table = '*'
    where rules.kind = 'row'
),

final as (
    select
        'flagged in staging, missing from dq_rules' as problem,
        flagged.flag_column as rule_id,
        flagged.source_table
    from flagged
    left join catalogue
        on flagged.flag_column = catalogue.flag_column and flagged.source_table = catalogue.source_table
    where flagged.flag_column is not null and catalogue.rule_id is null
    union all
    select
        'in dq_rules, not flagged in staging' as problem,
        catalogue.rule_id,
        catalogue.source_table
    from catalogue
    left join flagged
        on catalogue.flag_column = flagged.flag_column and catalogue.source_table = flagged.source_table
    where flagged.flag_column is null
)

select * from final
