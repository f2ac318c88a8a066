{#-
    The slowly changing state of every customer, the input of the snapshot
    snp_customer_states (SCD2): lifecycle stage (macro lifecycle_stage, relative
    to as_of), customer segment (the CRM segment), RFM segment (slv_customer_rfm;
    null without a completed order) and loyalty tier, for the customers known at
    as_of (slv_customer_activity.is_known). Only these columns, so a new snapshot
    version means one of them changed.
-#}

with

activity as (
    select
        customer360_id,
        first_purchase_at,
        last_purchase_at,
        last_reactivation_at
    from {{ ref('slv_customer_activity') }}
    where is_known
),

profiles as (
    select
        customer360_id,
        crm_segment,
        loyalty_tier
    from {{ ref('slv_customer_profiles') }}
),

rfm as (
    select
        customer360_id,
        rfm_segment
    from {{ ref('slv_customer_rfm') }}
),

final as (
    select
        activity.customer360_id,
        {{ lifecycle_stage('activity.first_purchase_at', 'activity.last_purchase_at', 'activity.last_reactivation_at') }}
            as lifecycle_stage,
        profiles.crm_segment as customer_segment,
        rfm.rfm_segment,
        profiles.loyalty_tier
    from activity
    inner join profiles on activity.customer360_id = profiles.customer360_id
    left join rfm on activity.customer360_id = rfm.customer360_id
)

select * from final
