{#-
    Lifecycle stage transitions from the SCD2 history snp_customer_states (one
    row per change of stage; versions that only changed the segment or tier are
    skipped). The first version of a customer is an entry row (from_stage null,
    is_first_observation): the stage the customer was in when first snapshotted.
    transitioned_at is the snapshot time of the version (the as_of of the run
    that saw the change). Customers no longer served (slv_served_customers) (merged
    ids, retention) are left out; so are transitions older than the retention
    window (GEN-03).
-#}

with

versions as (
    select
        dbt_scd_id,
        customer360_id,
        lifecycle_stage,
        dbt_valid_from,
        lag(lifecycle_stage) over (partition by customer360_id order by dbt_valid_from) as previous_stage,
        row_number() over (partition by customer360_id order by dbt_valid_from) as version_number
    from {{ ref('snp_customer_states') }}
),

transitions as (
    select
        dbt_scd_id,
        customer360_id,
        previous_stage as from_stage,
        lifecycle_stage as to_stage,
        dbt_valid_from as transitioned_at,
        version_number = 1 as is_first_observation
    from versions
    where version_number = 1 or lifecycle_stage <> previous_stage
),

timed as (
    select
        *,
        lag(transitioned_at) over (partition by customer360_id order by transitioned_at) as from_stage_entered_at
    from transitions
),

customers as (
    select customer360_id from {{ ref('slv_served_customers') }}
),

final as (
    select
        cast(timed.dbt_scd_id as varchar) as transition_id,
        cast(timed.customer360_id as varchar) as customer360_id,
        cast(timed.from_stage as varchar) as from_stage,
        cast(timed.to_stage as varchar) as to_stage,
        cast(timed.transitioned_at as timestamp) as transitioned_at,
        cast(timed.transitioned_at as date) as transition_date,
        cast(timed.is_first_observation as boolean) as is_first_observation,
        cast({{ dbt.datediff('timed.from_stage_entered_at', 'timed.transitioned_at', 'day') }} as integer)
            as days_in_from_stage
    from timed
    inner join customers on timed.customer360_id = customers.customer360_id
    where timed.transitioned_at >= {{ retention_cutoff() }}
)

select * from final
