{#-
    The segments a customer can belong to, from macros/customer/customer_segments.sql:
    the rfm family from the seed rfm_segment_rules (rfm_segment_catalogue_sql),
    the crm, lifecycle and loyalty families from customer_segment_catalogue().
    Display order: rfm, crm, lifecycle, loyalty, each in its own order.
-#}
{%- set family_order = {'rfm': 1, 'crm': 2, 'lifecycle': 3, 'loyalty': 4} %}

with

segments as (
    {%- for segment in customer_segment_catalogue() %}
    select
        '{{ segment.code }}' as segment_code,
        '{{ segment.family }}' as segment_family,
        '{{ segment.name }}' as segment_name,
        '{{ segment.definition | replace("'", "''") }}' as segment_definition,
        {{ loop.index }} as member_order
    union all
    {%- endfor %}
    {{ rfm_segment_catalogue_sql() }}
),

final as (
    select
        cast(segment_code as varchar) as segment_code,
        cast(segment_family as varchar) as segment_family,
        cast(segment_name as varchar) as segment_name,
        cast(segment_definition as varchar) as segment_definition,
        cast(
            row_number() over (
                order by
                    case segment_family
                        {%- for family, position in family_order.items() %}
                        when '{{ family }}' then {{ position }}
                        {%- endfor %}
                    end,
                    member_order
            ) as integer
        ) as sort_order,
        -- primary_segment: the rfm segment with a completed order, else the crm segment
        cast(segment_family in ('rfm', 'crm') as boolean) as is_primary_family
    from segments
)

select * from final
