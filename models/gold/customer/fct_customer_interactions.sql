{#-
    Service interactions, support tickets and NPS responses, one row each, with
    the customer360_id (transaction fact; grain: one contact). Additive
    measures: duration_minutes, resolution_hours; csat_score and nps_score are
    non-additive (average them).
-#}
{#- Postgres serving (issue 13): indexes for the DDA access patterns and the customer lookup. Postgres only:
    dbt-duckdb would create them too, and its drop-and-rename of an indexed table races with other threads. -#}
{%- if target.type == 'postgres' %}{{ config(indexes=[{'columns': ['customer360_id']}, {'columns': ['interaction_date']}]) }}{% endif %}

with

contacts as (
    select * from {{ ref('slv_customer_service_contacts') }}
),

customers as (
    select customer360_id from {{ ref('slv_served_customers') }}
),

final as (
    select
        cast(contacts.contact_key as varchar) as interaction_key,
        cast(contacts.contact_source as varchar) as interaction_source,
        cast(contacts.source_record_id as varchar) as source_record_id,
        cast(contacts.customer360_id as varchar) as customer360_id,
        cast(contacts.contacted_at as timestamp) as interacted_at,
        cast(contacts.contact_date as date) as interaction_date,
        cast(contacts.channel as varchar) as channel,
        cast(contacts.interaction_type as varchar) as interaction_type,
        cast(contacts.outcome as varchar) as outcome,
        cast(contacts.agent_id as varchar) as agent_id,
        cast(contacts.duration_minutes as numeric(10, 2)) as duration_minutes,
        cast(contacts.ticket_category as varchar) as ticket_category,
        cast(contacts.ticket_priority as varchar) as ticket_priority,
        cast(contacts.resolved_at as timestamp) as resolved_at,
        cast(
            {{ dbt.datediff('contacts.contacted_at', 'contacts.resolved_at', 'minute') }} / 60.0 as numeric(10, 2)
        ) as resolution_hours,
        cast(contacts.csat_score as integer) as csat_score,
        cast(contacts.is_first_contact_resolution as boolean) as is_first_contact_resolution,
        cast(contacts.nps_score as integer) as nps_score,
        cast(contacts.nps_group as varchar) as nps_group
    from contacts
    inner join customers on contacts.customer360_id = customers.customer360_id
)

select * from final
