{#- Support tickets: typed, every SUP row rule flagged. -#}
{%- set raw_columns = ['ticket_id', 'customer_id', 'opened_at', 'resolved_at', 'channel', 'category', 'priority',
    'csat_score', 'first_contact_resolution'] -%}

with

source as (
    select * from {{ raw_source('support', 'support_tickets') }}
),

crm_customers as (
    -- SUP-06 judges references against the customers the CRM delivered, and a valid customer is an accepted one:
    -- a ticket naming a customer whose record was rejected is rejected too (README, "Data quality: how a rule is enforced")
    {{ dq_parent_keys('stg_crm__customers', 'customer_id') }}
),

typed as (
    select
        nullif(trim(ticket_id), '') as ticket_id,
        nullif(trim(customer_id), '') as customer_id,
        opened_at as opened_at_raw,
        {{ parse_timestamp('opened_at') }} as opened_at,
        resolved_at as resolved_at_raw,
        {{ parse_timestamp('resolved_at') }} as resolved_at,
        nullif(lower(trim(channel)), '') as channel,
        nullif(lower(trim(category)), '') as category,
        nullif(lower(trim(priority)), '') as priority,
        csat_score as csat_score_raw,
        {{ parse_integer('csat_score') }} as csat_score,
        first_contact_resolution as first_contact_resolution_raw,
        {{ parse_boolean('first_contact_resolution') }} as is_first_contact_resolution,
        nullif(trim(ticket_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- SUP-07: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('support_tickets') }} as dq_sup_07,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('support_tickets') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select *, {{ dq_key_rank('ticket_id', 'opened_at') }} as _key_rank from copies
),

flagged as (
    select
        ranked.*,
        {{ dq_later_duplicate('ranked.ticket_id', 'ticket_id') }} as dq_sup_01,
        case
            when ranked.resolved_at < ranked.opened_at
                then {{ dq_value('resolved_at', 'ranked.resolved_at_raw') }} || ' is before '
                    || {{ dq_value('opened_at', 'ranked.opened_at_raw') }}
        end as dq_sup_02,
        {{ dq_number_problem('ranked.csat_score_raw', 'ranked.csat_score', min_value=1, max_value=5, required=false, kind='integer') }}
            as dq_sup_03,
        {{ dq_not_accepted('ranked.channel', 'ticket_channel', 'channel') }} as dq_sup_04,
        coalesce(
            {{ dq_time_problem('ranked.opened_at_raw', 'ranked.opened_at') }},
            {{ dq_time_problem('ranked.resolved_at_raw', 'ranked.resolved_at', required=false) }}
        ) as dq_sup_05,
        {{ dq_reference_problem('ranked.customer_id', 'crm_customers', 'customer_id', 'is not a CRM customer',
            'CRM customer') }} as dq_sup_06
    from ranked
    left join crm_customers on ranked.customer_id = crm_customers.customer_id
),

final as (
    select *, {{ dq_is_accepted('support_tickets') }} as _is_accepted from flagged
)

select * from final
