{#-
    Households: customers who share a normalised address (country, postal
    code, city) and surname, or a phone that identity resolution kept apart
    (a family landline: same number, different first names). Resolved as
    connected components of those links; customers without an address or a
    shared phone are households of one.
-#}

with

profiles as (
    select
        customer360_id,
        country,
        postal_code,
        city,
        lower({{ regex_replace_all('last_name', '[^A-Za-z]', '') }}) as surname_key
    from {{ ref('slv_customer_profiles') }}
    where primary_source <> 'anonymous'
),

address_keys as (
    select
        customer360_id,
        country || '|' || postal_code || '|' || lower(city) || '|' || surname_key as address_key
    from profiles
    where country is not null and postal_code is not null and city is not null and surname_key <> ''
),

address_links as (
    select
        customer360_id as node_a,
        'address:' || address_key as node_b
    from address_keys
),

shared_phones as (
    -- phones on records of several customers (at most a family's worth)
    select
        records.phone_e164,
        records.customer360_id
    from {{ ref('slv_customer_records') }} as records
    where records.phone_e164 is not null
    group by records.phone_e164, records.customer360_id
),

phone_groups as (
    select
        phone_e164,
        count(*) as customers
    from shared_phones
    group by phone_e164
),

phone_links as (
    select
        shared_phones.customer360_id as node_a,
        'phone:' || shared_phones.phone_e164 as node_b
    from shared_phones
    inner join phone_groups on shared_phones.phone_e164 = phone_groups.phone_e164
    where phone_groups.customers between 2 and {{ var('household_max_size') }}
),

components as (
    {{ connected_components("select node_a, node_b from address_links union all select node_a, node_b from phone_links") }}
),

members as (
    select
        profiles.customer360_id,
        coalesce(components.component, profiles.customer360_id) as component
    from profiles
    left join components on profiles.customer360_id = components.node
),

households as (
    select
        component,
        min(customer360_id) as anchor_customer360_id,
        count(*) as household_size
    from members
    group by component
),

final as (
    select
        members.customer360_id,
        'hh_' || substr({{ dbt.hash('households.anchor_customer360_id') }}, 1, 16) as household_id,
        households.household_size,
        case
            when households.household_size = 1 then 'single'
            when members.customer360_id in (select phone_links.node_a from phone_links) then 'shared_phone'
            when members.customer360_id in (select address_links.node_a from address_links) then 'address_and_surname'
            else 'single'
        end as household_evidence
    from members
    inner join households on members.component = households.component
)

select * from final
