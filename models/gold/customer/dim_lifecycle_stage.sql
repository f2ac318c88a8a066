{#- The lifecycle stages, from the one definition in macros/lifecycle/lifecycle_stage.sql. -#}

with

stages as (
    {%- for stage in lifecycle_stages() %}
    select
        '{{ stage.code }}' as lifecycle_stage,
        '{{ stage.name }}' as stage_name,
        {{ loop.index }} as stage_order,
        '{{ stage.definition | replace("'", "''") }}' as stage_definition,
        {{ stage.min_days if stage.min_days is not none else 'null' }} as min_days_since_purchase,
        {{ stage.max_days if stage.max_days is not none else 'null' }} as max_days_since_purchase,
        {{ 'true' if stage.is_customer else 'false' }} as has_purchased,
        {{ 'true' if stage.is_active else 'false' }} as is_active_stage
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
    from stages
)

select * from final
