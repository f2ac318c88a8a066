{#-
    The lifecycle stages (seed lifecycle_stages: codes, names, order of
    evaluation, definitions) with the day bounds in force: each bound names
    the var that sets it (min_days_var: the stage starts the day after that
    var's limit). The rules themselves are macro lifecycle_stage
    (macros/lifecycle/lifecycle_stage.sql); dim_customer's relationships test
    to this model fails on a stage the seed does not list.
-#}
{%- set threshold_vars = ['lifecycle_new_days', 'lifecycle_reactivation_gap_days', 'lifecycle_reactivated_days',
    'lifecycle_active_days', 'lifecycle_at_risk_days', 'lifecycle_lapsed_days'] -%}

with

stages as (
    select * from {{ ref('lifecycle_stages') }}
),

with_bounds as (
    select
        lifecycle_stage,
        stage_name,
        stage_order,
        has_purchased,
        is_active_stage,
        -- "{lifecycle_at_risk_days+1}" before "{lifecycle_at_risk_days}", for every threshold var
        {%- set ns = namespace(definition='stage_definition') %}
        {%- for name in threshold_vars %}
        {%- set ns.definition = "replace(replace(" ~ ns.definition ~ ", '{" ~ name ~ "+1}', '" ~ (var(name) + 1) ~ "'), '{" ~ name ~ "}', '" ~ var(name) ~ "')" %}
        {%- endfor %}
        {{ ns.definition }} as stage_definition,
        case
            {%- for name in threshold_vars %}
            when min_days_var = '{{ name }}' then {{ var(name) + 1 }}
            {%- endfor %}
            when has_purchased then 0
        end as min_days_since_purchase,
        case max_days_var
            {%- for name in threshold_vars %}
            when '{{ name }}' then {{ var(name) }}
            {%- endfor %}
        end as max_days_since_purchase
    from stages
),

final as (
    select
        cast(lifecycle_stage as varchar) as lifecycle_stage,
        cast(stage_name as varchar) as stage_name,
        cast(stage_order as integer) as stage_order,
        cast(stage_definition as varchar) as stage_definition,
        cast(min_days_since_purchase as integer) as min_days_since_purchase,
        cast(max_days_since_purchase as integer) as max_days_since_purchase,
        cast(has_purchased as boolean) as has_purchased,
        cast(is_active_stage as boolean) as is_active_stage
    from with_bounds
)

select * from final
