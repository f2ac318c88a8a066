{#-
    The derived history ends where the run's state is: every customer of
    slv_customer_states has exactly one current interval in
    slv_customer_lifecycle_history, with the same stage, and the history holds
    no other customer. Rows returned = customers that disagree, are missing
    or have several current intervals.
-#}

with

current_intervals as (
    select
        customer360_id,
        max(lifecycle_stage) as lifecycle_stage,
        count(*) as current_intervals
    from {{ ref('slv_customer_lifecycle_history') }}
    where is_current
    group by customer360_id
),

history_customers as (
    select distinct customer360_id from {{ ref('slv_customer_lifecycle_history') }}
),

states as (
    select
        customer360_id,
        lifecycle_stage
    from {{ ref('slv_customer_states') }}
)

select
    coalesce(states.customer360_id, history_customers.customer360_id) as customer360_id,
    states.lifecycle_stage as state_stage,
    current_intervals.lifecycle_stage as history_stage,
    current_intervals.current_intervals
from states
full outer join history_customers on states.customer360_id = history_customers.customer360_id
left join current_intervals on history_customers.customer360_id = current_intervals.customer360_id
where
    states.customer360_id is null
    or history_customers.customer360_id is null
    or current_intervals.current_intervals is null
    or current_intervals.current_intervals <> 1
    or current_intervals.lifecycle_stage <> states.lifecycle_stage
