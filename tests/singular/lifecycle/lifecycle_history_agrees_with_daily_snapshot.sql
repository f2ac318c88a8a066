{#-
    fct_customer_daily_snapshot states each customer's lifecycle stage at the
    end of each day (reference time = the next midnight); the derived history
    must give the same stage at that midnight. The daily snapshot counts the
    orders of the day (order_date), the history every order up to and including
    the instant, so a customer-day whose next midnight carries an order placed
    at exactly 00:00:00 is not compared (the two readings differ by that order
    alone). Rows returned = disagreements, or a snapshot row the history does
    not cover.
-#}

with

daily as (
    select
        customer360_id,
        snapshot_date,
        lifecycle_stage,
        cast({{ dbt.dateadd('day', 1, 'snapshot_date') }} as {{ dbt.type_timestamp() }}) as day_end_at
    from {{ ref('fct_customer_daily_snapshot') }}
),

midnight_orders as (
    select distinct
        customer360_id,
        ordered_at
    from {{ ref('slv_customer_orders') }}
    where is_completed and ordered_at = cast(order_date as {{ dbt.type_timestamp() }})
),

history as (
    select
        customer360_id,
        lifecycle_stage,
        valid_from,
        valid_to
    from {{ ref('slv_customer_lifecycle_history') }}
)

select
    daily.customer360_id,
    daily.snapshot_date,
    daily.lifecycle_stage as daily_stage,
    history.lifecycle_stage as history_stage
from daily
left join history
    on
        daily.customer360_id = history.customer360_id
        and daily.day_end_at >= history.valid_from
        and (daily.day_end_at < history.valid_to or history.valid_to is null)
left join midnight_orders
    on daily.customer360_id = midnight_orders.customer360_id and daily.day_end_at = midnight_orders.ordered_at
where
    midnight_orders.customer360_id is null
    and (history.lifecycle_stage is null or history.lifecycle_stage <> daily.lifecycle_stage)
