{#-
    The lifecycle history of every customer known at as_of, derived in one
    build: one row per interval [valid_from, valid_to) in which the stage of
    macro lifecycle_stage stays the same; valid_to null = still in it at as_of.

    The stage is a function of the completed orders up to a reference time t
    (first, last and latest reactivation order) and of calendar days from them
    to t. Between two orders it can only change at a midnight where one of its
    day limits is passed (macro lifecycle_days_exceeded_at): new ends
    lifecycle_new_days + 1 days after the first order, reactivated
    lifecycle_reactivated_days + 1 days after a reactivation order, active,
    at_risk and lapsed end active/at_risk/lapsed days + 1 after the last order
    (only limits passed before the next order matter). So the candidate change
    times of a customer are: first seen (slv_customer_activity.first_seen_at,
    the start of the history), every completed order, and those midnights, up
    to as_of. The stage is evaluated at each candidate with the same macro
    (running first/last/last-reactivation order times from window functions,
    orders at exactly t included, as slv_customer_states includes orders at
    as_of), and consecutive equal stages are merged. Linear in orders: a few
    candidates per order, one sort per customer, no self-join.

    A customer known at as_of only through a source record updated inside the
    retention window (created before it, no touchpoint since) has no first_seen_at:
    their history starts at the retention cutoff (GEN-03), as a prospect.

    The snapshot snp_customer_states records what each run observed (one
    version per change seen at a run's as_of); this model recomputes the whole
    path from today's data, so after one build it already holds every change.
    At as_of the two agree (test lifecycle_history_matches_states); a past
    snapshot version can differ where data changed since (late orders,
    identity merges, orders that left the retention window).
-#}

with

customers as (
    select
        customer360_id,
        coalesce(first_seen_at, {{ retention_cutoff() }}) as history_starts_at
    from {{ ref('slv_customer_activity') }}
    where is_known
),

orders as (
    select
        customer360_id,
        ordered_at,
        completed_order_number,
        is_reactivation,
        lead(ordered_at) over (partition by customer360_id order by ordered_at, order_id) as next_order_at
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

-- the day limits of macro lifecycle_stage: new rests on the first order, reactivated on a reactivation order,
-- the recency stages on the last order
day_limits as (
    {{ literal_rows([
        {'limit_kind': 'first_order', 'limit_days': var('lifecycle_new_days')},
        {'limit_kind': 'reactivation', 'limit_days': var('lifecycle_reactivated_days')},
        {'limit_kind': 'last_order', 'limit_days': var('lifecycle_active_days')},
        {'limit_kind': 'last_order', 'limit_days': var('lifecycle_at_risk_days')},
        {'limit_kind': 'last_order', 'limit_days': var('lifecycle_lapsed_days')},
    ]) }}
),

limits_passed as (
    select
        orders.customer360_id,
        orders.next_order_at,
        day_limits.limit_kind,
        {{ lifecycle_days_exceeded_at('orders.ordered_at', 'day_limits.limit_days') }} as limit_passed_at
    from orders
    inner join day_limits
        on
            (day_limits.limit_kind = 'first_order' and orders.completed_order_number = 1)
            or (day_limits.limit_kind = 'reactivation' and orders.is_reactivation)
            or day_limits.limit_kind = 'last_order'
),

-- the start of the history, each order, and the midnights at which a stage that rests on an order can end
candidates as (
    select
        customer360_id,
        history_starts_at as candidate_at,
        cast(null as {{ dbt.type_timestamp() }}) as order_at,
        false as is_reactivation
    from customers
    union all
    select
        customer360_id,
        ordered_at as candidate_at,
        ordered_at as order_at,
        is_reactivation
    from orders
    union all
    select
        customer360_id,
        limit_passed_at as candidate_at,
        cast(null as {{ dbt.type_timestamp() }}) as order_at,
        false as is_reactivation
    from limits_passed
    where
        limit_passed_at <= {{ as_of_timestamp() }}
        -- a recency limit passed after the next order no longer matters: that order is the last one then
        and (limit_kind <> 'last_order' or next_order_at is null or limit_passed_at < next_order_at)
),

known_candidates as (
    select candidates.*
    from candidates
    inner join customers on candidates.customer360_id = customers.customer360_id
    where candidates.candidate_at >= customers.history_starts_at
),

-- the order times up to and including each candidate (range frame: peers at the same time included)
running as (
    select
        customer360_id,
        candidate_at,
        order_at is not null as is_order,
        min(order_at) over customer_to_date as first_purchase_at,
        max(order_at) over customer_to_date as last_purchase_at,
        max(case when is_reactivation then order_at end) over customer_to_date as last_reactivation_at
    from known_candidates
    window customer_to_date as (partition by customer360_id order by candidate_at)
),

staged as (
    select
        customer360_id,
        candidate_at,
        max(case when is_order then 1 else 0 end) = 1 as has_order,
        max({{ lifecycle_stage('first_purchase_at', 'last_purchase_at', 'last_reactivation_at', 'candidate_at') }})
            as lifecycle_stage
    from running
    group by customer360_id, candidate_at
),

changes as (
    select
        *,
        lag(lifecycle_stage) over (partition by customer360_id order by candidate_at) as previous_stage
    from staged
),

intervals as (
    select
        customer360_id,
        lifecycle_stage,
        previous_stage,
        candidate_at as valid_from,
        lead(candidate_at) over (partition by customer360_id order by candidate_at) as valid_to,
        row_number() over (partition by customer360_id order by candidate_at) as stage_sequence,
        case
            when previous_stage is null then 'first_seen'
            when has_order then 'order'
            else 'elapsed'
        end as change_trigger
    from changes
    where previous_stage is null or lifecycle_stage <> previous_stage
),

final as (
    select
        {{ dbt.concat(['customer360_id', "':'", 'cast(stage_sequence as ' ~ dbt.type_string() ~ ')']) }}
            as history_key,
        customer360_id,
        stage_sequence,
        lifecycle_stage,
        previous_stage,
        change_trigger,
        valid_from,
        valid_to,
        valid_to is null as is_current
    from intervals
)

select * from final
