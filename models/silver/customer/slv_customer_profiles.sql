{#-
    The Customer 360 golden record: one row per customer360_id, attributes
    chosen by the survivorship rule documented per column in the YAML
    (trusted = most trusted system then most recent record; frequent = the
    value most records carry). Customers known only from an anonymous device
    (prospects) have a row with no contact attributes.
-#}
{%- set records = ref('slv_customer_records') -%}
{%- set trusted = ['first_name', 'last_name', 'email', 'phone_e164', 'date_of_birth', 'gender', 'region', 'city',
    'postal_code', 'preferred_language', 'customer_segment', 'crm_lifetime_value', 'loyalty_tier',
    'loyalty_points_balance'] -%}
{%- set frequent = ['country_code'] -%}

with

id_map as (
    select * from {{ ref('slv_customer_id_map') }}
),

customers as (
    select
        customer360_id,
        min({{ 'case source_system' }}
            {%- for system, rank in var('customer_source_trust').items() %} when '{{ system }}' then {{ rank }}{% endfor %}
        end) as best_trust_rank,
        count(*) as source_records,
        max(cluster_size) as cluster_size,
        min(match_confidence) as min_match_confidence
    from id_map
    group by customer360_id
),

source_ids as (
    select
        customer360_id,
        {%- for system, label in [('crm', 'crm_ids'), ('loyalty', 'loyalty_ids'), ('ecom', 'web_user_ids'), ('anonymous', 'anonymous_ids')] %}
        {{ json_array_agg("case when source_system = '" ~ system ~ "' then source_id end") }} as {{ label }},
        {%- endfor %}
        {{ json_array_agg('match_rule') }} as match_rules
    from id_map
    group by customer360_id
),

record_dates as (
    select
        customer360_id,
        min(first_seen_at) as first_record_at,
        max(record_updated_at) as last_record_update_at,
        {{ json_array_agg('email') }} as emails,
        {{ json_array_agg('phone_e164') }} as phones
    from {{ records }}
    group by customer360_id
),

{% for column in trusted %}
survivor_{{ column }} as (
    {{ survivor_trusted(records, column) }}
),
{% endfor %}
{% for column in frequent %}
survivor_{{ column }} as (
    {{ survivor_most_frequent(records, column) }}
),
{% endfor %}

final as (
    select
        customers.customer360_id,
        case customers.best_trust_rank
            {%- for system, rank in var('customer_source_trust').items() %}
            when {{ rank }} then '{{ system }}'
            {%- endfor %}
        end as primary_source,
        '{"crm_ids": ' || source_ids.crm_ids
        || ', "loyalty_ids": ' || source_ids.loyalty_ids
        || ', "web_user_ids": ' || source_ids.web_user_ids
        || ', "anonymous_ids": ' || source_ids.anonymous_ids || '}' as source_ids,
        source_ids.match_rules,
        customers.source_records,
        customers.min_match_confidence,
        {{ tidy_name('survivor_first_name.value') }} as first_name,
        {{ tidy_name('survivor_last_name.value') }} as last_name,
        survivor_email.value as primary_email,
        coalesce(record_dates.emails, '[]') as emails,
        survivor_phone_e164.value as primary_phone,
        coalesce(record_dates.phones, '[]') as phones,
        survivor_preferred_language.value as language,
        survivor_country_code.value as country,
        survivor_region.value as region,
        survivor_city.value as city,
        survivor_postal_code.value as postal_code,
        survivor_date_of_birth.value as date_of_birth,
        survivor_gender.value as gender,
        survivor_customer_segment.value as crm_segment,
        survivor_crm_lifetime_value.value as crm_lifetime_value,
        survivor_loyalty_tier.value as loyalty_tier,
        survivor_loyalty_points_balance.value as loyalty_points_balance,
        record_dates.first_record_at,
        record_dates.last_record_update_at
    from customers
    inner join source_ids on customers.customer360_id = source_ids.customer360_id
    left join record_dates on customers.customer360_id = record_dates.customer360_id
    {%- for column in trusted + frequent %}
    left join survivor_{{ column }} on customers.customer360_id = survivor_{{ column }}.customer360_id
    {%- endfor %}
)

select * from final
