{#-
    The served-customer rule, defined once: the customers gold serves, one row
    per customer360_id. A customer is served when identity resolution gave them
    a golden record (slv_customer_profiles) and they are known at as_of inside
    the retention window (slv_customer_activity.is_known, GEN-03); their state
    (slv_customer_states) exists exactly then.

    dim_customer, dim_household, the facts and the audiences all read this set,
    so they are siblings instead of hanging off dim_customer. It also carries
    the few attributes more than one of them needs: when the customer was first
    and last seen, the primary segment (the RFM segment with a completed order,
    else the CRM segment, crm_unsegmented outside the CRM), the preferred channel
    (the contactable channel with most engagement; ties: email, sms, push), and
    the location and loyalty balance of the golden record.
-#}

with

states as (
    select
        customer360_id,
        lifecycle_stage,
        customer_segment,
        rfm_segment,
        loyalty_tier
    from {{ ref('slv_customer_states') }}
),

profiles as (
    select
        customer360_id,
        country,
        city,
        loyalty_points_balance
    from {{ ref('slv_customer_profiles') }}
),

activity as (
    select
        customer360_id,
        first_seen_at,
        last_seen_at
    from {{ ref('slv_customer_activity') }}
    where is_known
),

preferred_channel as (
    select
        customer360_id,
        channel as preferred_channel
    from (
        select
            customer360_id,
            channel,
            row_number() over (
                partition by customer360_id order by channel_engagement desc, channel_priority asc
            ) as preference_rank
        from {{ ref('slv_customer_channels') }}
        where is_contactable
    ) as ranked
    where preference_rank = 1
),

final as (
    select
        activity.customer360_id,
        activity.first_seen_at,
        activity.last_seen_at,
        states.lifecycle_stage,
        states.customer_segment,
        states.rfm_segment,
        states.loyalty_tier,
        coalesce(
            {{ customer_segment_code_sql('rfm', 'states.rfm_segment') }},
            {{ customer_segment_code_sql('crm', 'states.customer_segment') }},
            'crm_unsegmented'
        ) as primary_segment,
        preferred_channel.preferred_channel,
        profiles.country,
        profiles.city,
        profiles.loyalty_points_balance
    from activity
    inner join profiles on activity.customer360_id = profiles.customer360_id
    inner join states on activity.customer360_id = states.customer360_id
    left join preferred_channel on activity.customer360_id = preferred_channel.customer360_id
)

select * from final
