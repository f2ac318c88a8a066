{#-
    Every segment a customer can belong to, one row per segment, from the
    reference seeds:
      rfm        the rules of seed rfm_segment_rules by priority, plus the
                 fallback (var rfm_fallback_segment, Others); the primary
                 segment of customers with a completed order
      crm        domain customer_segment of seed accepted_values, plus
                 crm_unsegmented for customers the CRM does not know; the
                 primary segment of customers without a completed order
      lifecycle  seed lifecycle_stages (definitions with the thresholds in
                 force, from dim_lifecycle_stage)
      loyalty    domain loyalty_tier of seed accepted_values
    Codes: macro customer_segment_code_sql (<family>_<value> in lower case).
    Display order: rfm, crm, lifecycle, loyalty, each in its own order.
-#}
{%- set fallback = var('rfm_fallback_segment') %}

with

rfm_rules as (
    select * from {{ ref('rfm_segment_rules') }}
),

accepted_values as (
    select * from {{ ref('accepted_values') }}
),

lifecycle_stages as (
    select * from {{ ref('dim_lifecycle_stage') }}
),

rfm as (
    select
        {{ customer_segment_code_sql('rfm', 'segment') }} as segment_code,
        'rfm' as segment_family,
        segment as segment_name,
        description || ' RFM scores R ' || cast(r_min as {{ dbt.type_string() }}) || '-'
        || cast(r_max as {{ dbt.type_string() }}) || ', F ' || cast(f_min as {{ dbt.type_string() }}) || '-'
        || cast(f_max as {{ dbt.type_string() }}) || ', M ' || cast(m_min as {{ dbt.type_string() }}) || '-'
        || cast(m_max as {{ dbt.type_string() }}) || ' (first matching rule by priority). Action: '
        || recommended_action as segment_definition,
        1 as family_order,
        priority as member_order
    from rfm_rules
    union all
    select
        '{{ customer_segment_code('rfm', fallback) }}' as segment_code,
        'rfm' as segment_family,
        '{{ fallback | replace("'", "''") }}' as segment_name,
        'RFM scores that match no rule of rfm_segment_rules.' as segment_definition,
        1 as family_order,
        (select max(priority) + 1 from rfm_rules) as member_order
),

crm as (
    select
        {{ customer_segment_code_sql('crm', 'value') }} as segment_code,
        'crm' as segment_family,
        value as segment_name,
        'The CRM''s customer segment is ' || value || '.' as segment_definition,
        2 as family_order,
        sort_order as member_order
    from accepted_values
    where domain = 'customer_segment'
    union all
    select
        'crm_unsegmented' as segment_code,
        'crm' as segment_family,
        'Unsegmented' as segment_name,
        'No CRM segment: the customer is not (yet) in the CRM.' as segment_definition,
        2 as family_order,
        (
            select max(sort_order) + 1
            from accepted_values
            where domain = 'customer_segment'
        ) as member_order
),

lifecycle as (
    select
        {{ customer_segment_code_sql('lifecycle', 'lifecycle_stage') }} as segment_code,
        'lifecycle' as segment_family,
        stage_name as segment_name,
        stage_definition as segment_definition,
        3 as family_order,
        stage_order as member_order
    from lifecycle_stages
),

loyalty as (
    select
        {{ customer_segment_code_sql('loyalty', 'value') }} as segment_code,
        'loyalty' as segment_family,
        value as segment_name,
        'Loyalty member of tier ' || value || '.' as segment_definition,
        4 as family_order,
        sort_order as member_order
    from accepted_values
    where domain = 'loyalty_tier'
),

segments as (
    select * from rfm
    union all
    select * from crm
    union all
    select * from lifecycle
    union all
    select * from loyalty
),

final as (
    select
        cast(segment_code as varchar) as segment_code,
        cast(segment_family as varchar) as segment_family,
        cast(segment_name as varchar) as segment_name,
        cast(segment_definition as varchar) as segment_definition,
        cast(row_number() over (order by family_order, member_order) as integer) as sort_order,
        -- primary_segment: the rfm segment with a completed order, else the crm segment
        cast(segment_family in ('rfm', 'crm') as boolean) as is_primary_family
    from segments
)

select * from final
