{#-
    First exposure of each resolved customer to each experiment (event_type experiment_exposure in
    slv_events), resolved to the Customer 360 id like slv_customer_events (logged-in web user, else CRM
    customer, else device). A customer counts in the variant of their first exposure (ties by event_id).
-#}

with

exposures as (
    select
        event_id,
        anonymous_id,
        web_user_id,
        customer_id,
        event_at,
        experiment_id,
        variant
    from {{ ref('slv_events') }}
    where event_type = 'experiment_exposure'
        and experiment_id is not null
        and variant is not null
),

mapped as (
    {{ map_to_customer360('exposures', [('ecom', 'web_user_id'), ('crm', 'customer_id'), ('anonymous', 'anonymous_id')]) }}
),

ranked as (
    select
        mapped.*,
        row_number() over (
            partition by mapped.customer360_id, mapped.experiment_id order by mapped.event_at, mapped.event_id
        ) as exposure_number
    from mapped
    where mapped.customer360_id is not null
),

final as (
    select
        {{ dbt.concat(['customer360_id', "'|'", 'experiment_id']) }} as customer_experiment_key,
        customer360_id,
        experiment_id,
        variant,
        event_id as first_exposure_event_id,
        event_at as first_exposed_at
    from ranked
    where exposure_number = 1
)

select * from final
