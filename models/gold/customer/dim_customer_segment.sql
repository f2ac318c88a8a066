{#- The segments a customer can belong to, from macros/customer/customer_segments.sql. -#}

with

segments as (
    {%- for segment in customer_segment_catalogue() %}
    select
        '{{ segment.code }}' as segment_code,
        '{{ segment.family }}' as segment_family,
        '{{ segment.name }}' as segment_name,
        '{{ segment.definition | replace("'", "''") }}' as segment_definition,
        {{ loop.index }} as sort_order,
        {{ 'true' if segment.family == 'crm' else 'false' }} as is_primary_family
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        cast(segment_code as varchar) as segment_code,
        cast(segment_family as varchar) as segment_family,
        cast(segment_name as varchar) as segment_name,
        cast(segment_definition as varchar) as segment_definition,
        cast(sort_order as integer) as sort_order,
        cast(is_primary_family as boolean) as is_primary_family
    from segments
)

select * from final
