{#-
    Every current service contact of a resolved customer (the conformed
    slv_interactions, slv_support_tickets and slv_nps_responses: up to as_of, within
    the retention window): CRM service interactions, support tickets and
    NPS survey responses, one row each. All three name the CRM customer id, mapped
    to customer360_id through slv_customer_id_map; contacts whose CRM customer was
    rejected (not in the map) are left out.
-#}

with

crm_map as (
    select
        source_id,
        customer360_id
    from {{ ref('slv_customer_id_map') }}
    where source_system = 'crm'
),

interactions as (
    select
        'interaction:' || interaction_id as contact_key,
        'crm_interaction' as contact_source,
        interaction_id as source_record_id,
        customer_id,
        interaction_at as contacted_at,
        lower(replace(interaction_type, '-', '_')) as channel,
        interaction_type,
        outcome,
        agent_id,
        duration_minutes,
        cast(null as {{ dbt.type_string() }}) as ticket_category,
        cast(null as {{ dbt.type_string() }}) as ticket_priority,
        cast(null as {{ dbt.type_timestamp() }}) as resolved_at,
        cast(null as {{ dbt.type_int() }}) as csat_score,
        cast(null as {{ dbt.type_boolean() }}) as is_first_contact_resolution,
        cast(null as {{ dbt.type_int() }}) as nps_score
    from {{ ref('slv_interactions') }}
),

tickets as (
    select
        'ticket:' || ticket_id as contact_key,
        'support_ticket' as contact_source,
        ticket_id as source_record_id,
        customer_id,
        opened_at as contacted_at,
        channel,
        cast(null as {{ dbt.type_string() }}) as interaction_type,
        cast(null as {{ dbt.type_string() }}) as outcome,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        cast(null as {{ dbt.type_numeric() }}) as duration_minutes,
        category as ticket_category,
        priority as ticket_priority,
        resolved_at,
        cast(csat_score as {{ dbt.type_int() }}) as csat_score,
        is_first_contact_resolution,
        cast(null as {{ dbt.type_int() }}) as nps_score
    from {{ ref('slv_support_tickets') }}
),

nps as (
    select
        'nps:' || response_id as contact_key,
        'nps_response' as contact_source,
        response_id as source_record_id,
        customer_id,
        responded_at as contacted_at,
        'survey' as channel,
        cast(null as {{ dbt.type_string() }}) as interaction_type,
        cast(null as {{ dbt.type_string() }}) as outcome,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        cast(null as {{ dbt.type_numeric() }}) as duration_minutes,
        cast(null as {{ dbt.type_string() }}) as ticket_category,
        cast(null as {{ dbt.type_string() }}) as ticket_priority,
        cast(null as {{ dbt.type_timestamp() }}) as resolved_at,
        cast(null as {{ dbt.type_int() }}) as csat_score,
        cast(null as {{ dbt.type_boolean() }}) as is_first_contact_resolution,
        cast(nps_score as {{ dbt.type_int() }}) as nps_score
    from {{ ref('slv_nps_responses') }}
),

unioned as (
    select * from interactions
    union all
    select * from tickets
    union all
    select * from nps
),

final as (
    select
        unioned.contact_key,
        unioned.contact_source,
        unioned.source_record_id,
        crm_map.customer360_id,
        unioned.contacted_at,
        cast(unioned.contacted_at as date) as contact_date,
        unioned.channel,
        unioned.interaction_type,
        unioned.outcome,
        unioned.agent_id,
        unioned.duration_minutes,
        unioned.ticket_category,
        unioned.ticket_priority,
        unioned.resolved_at,
        unioned.csat_score,
        unioned.is_first_contact_resolution,
        unioned.nps_score,
        {{ nps_band('unioned.nps_score') }} as nps_group,
        unioned.contact_source in ('crm_interaction', 'support_ticket') as is_support_touchpoint
    from unioned
    inner join crm_map on unioned.customer_id = crm_map.source_id
)

select * from final
