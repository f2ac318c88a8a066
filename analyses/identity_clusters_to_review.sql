-- Customers resolved through a fuzzy or click-through rule only, largest
-- first: the clusters a data steward reviews when tuning
-- seeds/reference/identity_match_rules.csv.
with

id_map as (
    select * from {{ ref('slv_customer_id_map') }}
),

weakest as (
    select
        customer360_id,
        min(match_confidence) as weakest_confidence,
        max(cluster_size) as identifiers
    from id_map
    group by customer360_id
),

final as (
    select
        weakest.customer360_id,
        weakest.weakest_confidence,
        weakest.identifiers,
        profiles.first_name,
        profiles.last_name,
        profiles.source_ids,
        profiles.match_rules
    from weakest
    inner join {{ ref('slv_customer_profiles') }} as profiles
        on weakest.customer360_id = profiles.customer360_id
    where weakest.weakest_confidence < 0.95
)

select * from final
order by identifiers desc, weakest_confidence asc
