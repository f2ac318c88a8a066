{#-
    Consent per customer and scope: of every consent captured on any of the
    customer's source records, the latest wins (on a tie, opted_out wins).
    The winning record is kept as evidence, with how many records were
    considered and whether they disagreed.
-#}

with

consents as (
    select
        id_map.customer360_id,
        consents.scope,
        consents.status,
        consents.captured_at,
        consents.consent_id,
        consents.source_system,
        consents.source_id
    from {{ ref('brz_consent__consents') }} as consents
    inner join {{ ref('slv_customer_id_map') }} as id_map
        on consents.source_system = id_map.source_system and consents.source_id = id_map.source_id
    where consents._is_current
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer360_id, scope
            order by captured_at desc, case when status = 'opted_out' then 0 else 1 end asc, consent_id asc
        ) as recency_rank,
        count(*) over (partition by customer360_id, scope) as records_considered,
        min(status) over (partition by customer360_id, scope) as first_status,
        max(status) over (partition by customer360_id, scope) as last_status
    from consents
),

final as (
    select
        customer360_id,
        scope,
        status,
        status = 'opted_in' as is_opted_in,
        captured_at as status_captured_at,
        consent_id as evidence_consent_id,
        source_system as evidence_source_system,
        source_id as evidence_source_id,
        records_considered,
        first_status <> last_status as had_conflicting_records
    from ranked
    where recency_rank = 1
)

select * from final
