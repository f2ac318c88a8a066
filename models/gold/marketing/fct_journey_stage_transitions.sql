{#-
    Journey stage transitions (grain: customer x stage entered): when each
    customer entered each journey stage, from which stage. Derived from the
    times of what the customer did, so a single build has the whole history.

    The stages (macro journey_stages) and the milestone that reaches each one,
    the first time it happened (ties: the lowest id):
      1 awareness      a first touch of any kind (fct_touchpoints: visit, paid
                       click, e-mail open or click, push open)
      2 consideration  a first product_view, add_to_cart or checkout_start event
                       (slv_customer_events): interest in a product
      3 purchase       the first completed order (slv_customer_orders)
      4 retention      the second completed order (a repeat purchase)
      5 advocacy       an NPS promoter response (score 9-10,
                       slv_customer_service_contacts) at or after the first
                       completed order (the sources carry no referrals)
    Stages only go forward: a milestone enters its stage when it ranks above
    every stage the customer reached before it (milestones ordered by time, ties
    by stage order); a milestone of a lower stage coming later (a product view
    after the first order) changes nothing. Stages can be skipped (a store
    order without any touch: entry straight into purchase). The customer's
    first transition is the entry (from_stage null). Only customers gold
    serves (slv_served_customers) with at least one milestone; inputs are up to
    as_of and inside the retention window.
-#}

with

customers as (
    select customer360_id from {{ ref('slv_served_customers') }}
),

stages as (
    {{ literal_rows(journey_stages()) }}
),

touches as (
    select
        customer360_id,
        touchpoint_id as record_id,
        touched_at as reached_at,
        row_number() over (partition by customer360_id order by touched_at, touchpoint_id) as milestone_rank
    from {{ ref('fct_touchpoints') }}
),

product_interest as (
    select
        customer360_id,
        event_id as record_id,
        event_at as reached_at,
        row_number() over (partition by customer360_id order by event_at, event_id) as milestone_rank
    from {{ ref('slv_customer_events') }}
    where event_type in ('product_view', 'add_to_cart', 'checkout_start')
),

completed_orders as (
    select
        customer360_id,
        order_id as record_id,
        ordered_at as reached_at,
        completed_order_number
    from {{ ref('slv_customer_orders') }}
    where is_completed and completed_order_number <= 2
),

first_orders as (
    select * from completed_orders
    where completed_order_number = 1
),

promoters as (
    select
        contacts.customer360_id,
        contacts.contact_key as record_id,
        contacts.contacted_at as reached_at,
        row_number() over (
            partition by contacts.customer360_id order by contacts.contacted_at, contacts.contact_key
        ) as milestone_rank
    from {{ ref('slv_customer_service_contacts') }} as contacts
    inner join first_orders
        on
            contacts.customer360_id = first_orders.customer360_id
            and contacts.contacted_at >= first_orders.reached_at
    where contacts.contact_source = 'nps_response' and contacts.nps_score >= 9
),

milestones as (
    select
        customer360_id,
        'awareness' as journey_stage,
        'first_touch' as trigger_type,
        record_id,
        reached_at
    from touches
    where milestone_rank = 1
    union all
    select
        customer360_id,
        'consideration' as journey_stage,
        'first_product_interest' as trigger_type,
        record_id,
        reached_at
    from product_interest
    where milestone_rank = 1
    union all
    select
        customer360_id,
        case when completed_order_number = 1 then 'purchase' else 'retention' end as journey_stage,
        case when completed_order_number = 1 then 'first_order' else 'repeat_order' end as trigger_type,
        record_id,
        reached_at
    from completed_orders
    union all
    select
        customer360_id,
        'advocacy' as journey_stage,
        'nps_promoter' as trigger_type,
        record_id,
        reached_at
    from promoters
    where milestone_rank = 1
),

ranked as (
    select
        milestones.customer360_id,
        milestones.journey_stage,
        stages.stage_order,
        milestones.trigger_type,
        milestones.record_id,
        milestones.reached_at,
        max(stages.stage_order) over (
            partition by milestones.customer360_id
            order by milestones.reached_at, stages.stage_order
            rows between unbounded preceding and 1 preceding
        ) as previous_highest_order
    from milestones
    inner join stages on milestones.journey_stage = stages.journey_stage
    inner join customers on milestones.customer360_id = customers.customer360_id
),

entered as (
    select
        *,
        lag(journey_stage) over (partition by customer360_id order by reached_at, stage_order) as from_stage,
        lag(stage_order) over (partition by customer360_id order by reached_at, stage_order) as from_stage_order,
        lag(reached_at) over (partition by customer360_id order by reached_at, stage_order) as from_stage_entered_at
    from ranked
    where stage_order > coalesce(previous_highest_order, 0)
),

final as (
    select
        cast(customer360_id || '|' || journey_stage as varchar) as transition_id,
        cast(customer360_id as varchar) as customer360_id,
        cast(from_stage as varchar) as from_stage,
        cast(journey_stage as varchar) as to_stage,
        cast(from_stage_order as integer) as from_stage_order,
        cast(stage_order as integer) as to_stage_order,
        cast(reached_at as timestamp) as transitioned_at,
        cast(reached_at as date) as transition_date,
        cast(from_stage is null as boolean) as is_entry,
        cast(stage_order - coalesce(from_stage_order, 0) - 1 as integer) as stages_skipped,
        cast({{ dbt.datediff('from_stage_entered_at', 'reached_at', 'day') }} as integer) as days_in_from_stage,
        cast(trigger_type as varchar) as trigger_type,
        cast(record_id as varchar) as trigger_record_id
    from entered
)

select * from final
