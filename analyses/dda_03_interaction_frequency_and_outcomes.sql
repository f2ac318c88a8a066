{#-
    DDA common query 3: customer interaction frequency and outcomes.

    CRM service interactions (fct_customer_interactions, source crm_interaction) per CRM customer segment
    (dim_customer.customer_segment, "Unsegmented" without one) and interaction type: how many customers
    interacted, how often (interactions per customer, average days between a customer's consecutive
    interactions of that type) and with what outcome (share of Positive / Neutral / Negative), and how long.
-#}

with

interactions as (
    select
        customer360_id,
        interaction_type,
        outcome,
        interacted_at,
        duration_minutes
    from {{ ref('fct_customer_interactions') }}
    where interaction_source = 'crm_interaction'
),

customers as (
    select
        customer360_id,
        coalesce(customer_segment, 'Unsegmented') as customer_segment
    from {{ ref('dim_customer') }}
),

sequenced as (
    select
        interactions.*,
        customers.customer_segment,
        {{ dbt.datediff(
            'lag(interactions.interacted_at) over (partition by interactions.customer360_id, interactions.interaction_type order by interactions.interacted_at)',
            'interactions.interacted_at',
            'day'
        ) }} as days_since_previous
    from interactions
    inner join customers
        on interactions.customer360_id = customers.customer360_id
),

final as (
    select
        customer_segment,
        interaction_type,
        count(distinct customer360_id) as customers,
        count(*) as interactions,
        cast({{ safe_divide('count(*)', 'count(distinct customer360_id)') }} as numeric(10, 2)) as interactions_per_customer,
        cast(avg(days_since_previous) as numeric(10, 1)) as avg_days_between_interactions,
        cast({{ safe_divide("count(case when outcome = 'Positive' then 1 end)", 'count(*)') }} as numeric(10, 4))
            as positive_rate,
        cast({{ safe_divide("count(case when outcome = 'Neutral' then 1 end)", 'count(*)') }} as numeric(10, 4))
            as neutral_rate,
        cast({{ safe_divide("count(case when outcome = 'Negative' then 1 end)", 'count(*)') }} as numeric(10, 4))
            as negative_rate,
        cast(avg(duration_minutes) as numeric(10, 1)) as avg_duration_minutes
    from sequenced
    group by customer_segment, interaction_type
)

select * from final
order by customer_segment asc, interactions desc, interaction_type asc
