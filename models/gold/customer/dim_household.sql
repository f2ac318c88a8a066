{#-
    One row per household (slv_households): customers sharing an address and
    surname, or a family phone. Served for households with at least one member
    served (slv_served_customers: retention, GEN-03).
-#}

with

members as (
    select
        households.household_id,
        households.household_size,
        households.household_evidence,
        households.customer360_id,
        customers.country,
        customers.city,
        customers.first_seen_at,
        customers.last_seen_at
    from {{ ref('slv_households') }} as households
    inner join {{ ref('slv_served_customers') }} as customers on households.customer360_id = customers.customer360_id
),

location as (
    -- the country and city most members give (ties: alphabetical)
    select
        household_id,
        country,
        city
    from (
        select
            household_id,
            country,
            city,
            row_number() over (
                partition by household_id order by count(*) desc, country asc, city asc
            ) as location_rank
        from members
        where country is not null
        group by household_id, country, city
    ) as ranked
    where location_rank = 1
),

households as (
    select
        household_id,
        max(household_size) as household_size,
        count(*) as served_members,
        case
            when max(household_size) = 1 then 'single'
            when count(case when household_evidence = 'shared_phone' then 1 end) > 0 then 'shared_phone'
            else 'address_and_surname'
        end as household_evidence,
        min(customer360_id) as anchor_customer360_id,
        {{ json_array_agg('customer360_id') }} as member_customer360_ids,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from members
    group by household_id
),

final as (
    select
        cast(households.household_id as varchar) as household_id,
        cast(households.household_size as integer) as household_size,
        cast(households.served_members as integer) as served_members,
        cast(households.household_evidence as varchar) as household_evidence,
        cast(households.anchor_customer360_id as varchar) as anchor_customer360_id,
        cast(households.member_customer360_ids as varchar) as member_customer360_ids,
        cast(location.country as varchar) as country,
        cast(location.city as varchar) as city,
        cast(households.first_seen_at as timestamp) as first_seen_at,
        cast(households.last_seen_at as timestamp) as last_seen_at
    from households
    left join location on households.household_id = location.household_id
)

select * from final
