{#-
    Lifecycle stage transitions, one row per interval of the derived history
    slv_customer_lifecycle_history: the customer's entry (first sighting:
    from_stage null, is_first_observation) and every later change of stage,
    at the exact time it happened (an order, or the midnight a day limit
    passed), all from one build.

    The SCD2 snapshot snp_customer_states still records what each run observed
    (stamped with that run's as_of); it is not read here. The two agree at each
    run's as_of as long as the data of the past did not change since (see
    slv_customer_lifecycle_history). Customers no longer served
    (slv_served_customers: merged ids, retention) are left out; so are
    transitions older than the retention window (GEN-03).
-#}

with

history as (
    select
        customer360_id,
        stage_sequence,
        previous_stage,
        lifecycle_stage,
        change_trigger,
        valid_from,
        lag(valid_from) over (partition by customer360_id order by valid_from) as from_stage_entered_at
    from {{ ref('slv_customer_lifecycle_history') }}
),

customers as (
    select customer360_id from {{ ref('slv_served_customers') }}
),

final as (
    select
        cast({{ dbt.hash(dbt.concat(['history.customer360_id', "'|'", 'cast(history.stage_sequence as ' ~ dbt.type_string() ~ ')'])) }} as varchar)
            as transition_id,
        cast(history.customer360_id as varchar) as customer360_id,
        cast(history.previous_stage as varchar) as from_stage,
        cast(history.lifecycle_stage as varchar) as to_stage,
        cast(history.valid_from as timestamp) as transitioned_at,
        cast(history.valid_from as date) as transition_date,
        cast(history.stage_sequence = 1 as boolean) as is_first_observation,
        cast(history.change_trigger as varchar) as change_trigger,
        cast({{ dbt.datediff('history.from_stage_entered_at', 'history.valid_from', 'day') }} as integer)
            as days_in_from_stage
    from history
    inner join customers on history.customer360_id = customers.customer360_id
    where history.valid_from >= {{ retention_cutoff() }}
)

select * from final
