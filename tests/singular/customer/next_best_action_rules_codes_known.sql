-- Every segment, lifecycle stage and health band a next-best-action rule lists (`|`-separated, `*` = any) exists:
-- a dim_customer_segment code, a stage of seed lifecycle_stages, a health band. A typo would silently match no one.
{%- set rules = reference_rows('next_best_action_rules', 'rule_id') %}
{%- set listed = [] %}
{%- for rule in rules %}
    {%- for attribute in ['segment', 'lifecycle_stage', 'health_band'] %}
        {%- for value in (rule[attribute] or '').split('|') if value != '*' %}
            {%- do listed.append((rule.rule_id, attribute, value)) %}
        {%- endfor %}
    {%- endfor %}
{%- endfor %}

with

listed as (
    {%- for rule_id, attribute, value in listed %}
    select
        '{{ rule_id }}' as rule_id,
        '{{ attribute }}' as attribute,
        '{{ value }}' as listed_value
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as rule_id,
        cast(null as {{ dbt.type_string() }}) as attribute,
        cast(null as {{ dbt.type_string() }}) as listed_value
    where 1 = 0
    {%- endfor %}
),

known as (
    select
        'segment' as attribute,
        segment_code as known_value
    from {{ ref('dim_customer_segment') }}
    union all
    select
        'lifecycle_stage' as attribute,
        lifecycle_stage as known_value
    from {{ ref('lifecycle_stages') }}
    union all
    select
        'health_band' as attribute,
        band as known_value
    from (
        select 'healthy' as band
        union all
        select 'neutral' as band
        union all
        select 'at_risk' as band
    ) as bands
)

select listed.*
from listed
left join known on listed.attribute = known.attribute and listed.listed_value = known.known_value
where known.known_value is null
