{#-
    The segments a customer can belong to, one list for dim_customer_segment
    and dim_customer.segments. Families:
      crm        the CRM's customer segment (var accepted_values.customer_segment),
                 plus crm_unsegmented for customers the CRM does not know;
                 the primary segment for now (the marketing issue adds RFM)
      lifecycle  the lifecycle stage (lifecycle_stages())
      loyalty    the loyalty tier (var accepted_values.loyalty_tier)
    Codes are lower case: <family>_<value>, e.g. crm_vip, lifecycle_at_risk, loyalty_gold.
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
    {{ return(family ~ '_' ~ (value | lower | replace(' ', '_') | replace('-', '_'))) }}
{%- endmacro %}

{#- Segment code of a column (SQL expression); null when the column is null -#}
{% macro customer_segment_code_sql(family, column) -%}
    '{{ family }}_' || replace(replace(lower({{ column }}), ' ', '_'), '-', '_')
{%- endmacro %}
