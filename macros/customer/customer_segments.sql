{#-
    The segments a customer can belong to, one list for dim_customer_segment
    and dim_customer.segments. Families:
      rfm        the RFM segment (slv_customer_rfm): the segments of the seed
                 rfm_segment_rules plus the fallback (var rfm_fallback_segment,
                 Others); listed by rfm_segment_catalogue_sql() from the seed, as
                 the rules are data. The primary segment of customers with a
                 completed order
      crm        the CRM's customer segment (var accepted_values.customer_segment),
                 plus crm_unsegmented for customers the CRM does not know; the
                 primary segment of customers without a completed order
      lifecycle  the lifecycle stage (lifecycle_stages())
      loyalty    the loyalty tier (var accepted_values.loyalty_tier)
    Codes are lower case: <family>_<value> with spaces and hyphens as
    underscores and apostrophes dropped, e.g. crm_vip, lifecycle_at_risk,
    loyalty_gold, rfm_cant_lose_them.
-#}
{% macro customer_segment_catalogue() -%}
    {%- set segments = [] -%}
    {%- for value in var('accepted_values')['customer_segment'] -%}
        {%- do segments.append({'code': customer_segment_code('crm', value), 'family': 'crm', 'name': value,
            'definition': "The CRM's customer segment is " ~ value ~ "."}) -%}
    {%- endfor -%}
    {%- do segments.append({'code': 'crm_unsegmented', 'family': 'crm', 'name': 'Unsegmented',
        'definition': 'No CRM segment: the customer is not (yet) in the CRM.'}) -%}
    {%- for stage in lifecycle_stages() -%}
        {%- do segments.append({'code': customer_segment_code('lifecycle', stage.code), 'family': 'lifecycle',
            'name': stage.name, 'definition': stage.definition}) -%}
    {%- endfor -%}
    {%- for value in var('accepted_values')['loyalty_tier'] -%}
        {%- do segments.append({'code': customer_segment_code('loyalty', value), 'family': 'loyalty', 'name': value,
            'definition': 'Loyalty member of tier ' ~ value ~ '.'}) -%}
    {%- endfor -%}
    {{ return(segments) }}
{%- endmacro %}

{#- Segment code of a literal value (Jinja) -#}
{% macro customer_segment_code(family, value) -%}
    {{ return(family ~ '_' ~ (value | lower | replace(' ', '_') | replace('-', '_') | replace("'", ''))) }}
{%- endmacro %}

{#- Segment code of a column (SQL expression); null when the column is null -#}
{% macro customer_segment_code_sql(family, column) -%}
    '{{ family }}_' || replace(replace(replace(lower({{ column }}), ' ', '_'), '-', '_'), '''', '')
{%- endmacro %}

{#-
    The rfm family as SQL rows (segment_code, segment_family, segment_name,
    segment_definition, member_order): every rule of the seed rfm_segment_rules
    by priority, then the fallback segment. dim_customer_segment unions them
    with customer_segment_catalogue().
-#}
{% macro rfm_segment_catalogue_sql() -%}
    {%- set fallback = var('rfm_fallback_segment') -%}
    select
        {{ customer_segment_code_sql('rfm', 'segment') }} as segment_code,
        'rfm' as segment_family,
        segment as segment_name,
        description || ' RFM scores R ' || cast(r_min as {{ dbt.type_string() }}) || '-'
        || cast(r_max as {{ dbt.type_string() }}) || ', F ' || cast(f_min as {{ dbt.type_string() }}) || '-'
        || cast(f_max as {{ dbt.type_string() }}) || ', M ' || cast(m_min as {{ dbt.type_string() }}) || '-'
        || cast(m_max as {{ dbt.type_string() }}) || ' (first matching rule by priority). Action: '
        || recommended_action as segment_definition,
        priority as member_order
    from {{ ref('rfm_segment_rules') }}
    union all
    select
        '{{ customer_segment_code('rfm', fallback) }}' as segment_code,
        'rfm' as segment_family,
        '{{ fallback | replace("'", "''") }}' as segment_name,
        'RFM scores that match no rule of rfm_segment_rules.' as segment_definition,
        (select max(priority) + 1 from {{ ref('rfm_segment_rules') }}) as member_order
{%- endmacro %}
