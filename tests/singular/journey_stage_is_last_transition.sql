{{ config(tags=['marketing', 'journeys']) }}
-- A customer's journey stage is the last stage they entered (the highest), entered at that transition's time,
-- and every customer with a transition has a stage. Returns the customers where the two models disagree.

with

last_transitions as (
    select
        customer360_id,
        max(to_stage_order) as stage_order,
        max(transitioned_at) as stage_entered_at,
        count(*) as stages_entered
    from {{ ref('fct_journey_stage_transitions') }}
    group by customer360_id
)

select
    coalesce(last_transitions.customer360_id, stages.customer360_id) as customer360_id,
    last_transitions.stage_order as transitions_stage_order,
    stages.stage_order,
    last_transitions.stage_entered_at as transitions_entered_at,
    stages.stage_entered_at
from last_transitions
full outer join {{ ref('fct_customer_journey_stage') }} as stages
    on last_transitions.customer360_id = stages.customer360_id
where
    last_transitions.customer360_id is null
    or stages.customer360_id is null
    or last_transitions.stage_order <> stages.stage_order
    or last_transitions.stage_entered_at <> stages.stage_entered_at
    or last_transitions.stages_entered <> stages.stages_entered
