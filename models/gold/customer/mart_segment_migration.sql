{#-
    Segment migration matrix: how many customers moved from each value to each
    other value of a dimension over a period, for the last
    var segment_migration_months (24) complete calendar months before as_of
    (period_grain month) and the complete calendar quarters among them
    (quarter). The value is read at the period's boundaries, 00:00 UTC of its
    first day (= the end of the previous period) and 00:00 of the day after its
    last day (= its end), the instants at which fct_customer_daily_snapshot
    states the previous day.

    Dimensions:
    - lifecycle_stage: the interval of slv_customer_lifecycle_history holding
      the boundary (exact after one build).
    - rfm_segment: RFM re-scored as of each boundary with the same macros as
      slv_customer_rfm (rfm_scores over the completed orders up to that instant,
      ranks among the customers scored then; rfm_assign_segment with seed
      rfm_segment_rules), i.e. the segment a build at that as_of would have
      given on today's data. One RFM computation per boundary (a Jinja loop).

    Population: served customers (slv_served_customers) with a value at the
    period end; from_value null = no value at the period start (lifecycle: not
    seen yet; RFM: no completed order yet).
-#}
{%- set months = var('segment_migration_months') | int -%}
{%- set first_month = dbt.date_trunc('month', as_of_timestamp()) -%}

with

boundaries as (
    select
        generated_number - 1 as months_back,
        cast({{ dbt.dateadd('month', '1 - generated_number', first_month) }} as {{ dbt.type_timestamp() }})
            as boundary_at
    from ({{ dbt.generate_series(months + 1) }}) as series
),

periods as (
    select
        'month' as period_grain,
        period_starts.months_back as start_months_back,
        period_ends.months_back as end_months_back,
        period_starts.boundary_at as start_at,
        period_ends.boundary_at as end_at
    from boundaries as period_starts
    inner join boundaries as period_ends on period_starts.months_back = period_ends.months_back + 1
    union all
    select
        'quarter' as period_grain,
        period_starts.months_back as start_months_back,
        period_ends.months_back as end_months_back,
        period_starts.boundary_at as start_at,
        period_ends.boundary_at as end_at
    from boundaries as period_starts
    inner join boundaries as period_ends on period_starts.months_back = period_ends.months_back + 3
    where {{ dbt.date_trunc('quarter', 'period_starts.boundary_at') }} = period_starts.boundary_at
),

customers as (
    select customer360_id from {{ ref('slv_served_customers') }}
),

history as (
    select
        customer360_id,
        lifecycle_stage,
        valid_from,
        valid_to
    from {{ ref('slv_customer_lifecycle_history') }}
),

completed_orders as (
    select
        customer360_id,
        ordered_at,
        order_value
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

rules as (
    select
        priority,
        segment,
        r_min,
        r_max,
        f_min,
        f_max,
        m_min,
        m_max,
        recommended_action
    from {{ ref('rfm_segment_rules') }}
),

lifecycle_points as (
    select
        'lifecycle_stage' as dimension,
        history.customer360_id,
        boundaries.months_back,
        history.lifecycle_stage as dimension_value
    from boundaries
    inner join history
        on
            boundaries.boundary_at >= history.valid_from
            and (boundaries.boundary_at < history.valid_to or history.valid_to is null)
),

-- RFM as of each boundary: the macro's own as_of argument, one scoring per boundary
rfm_scored as (
    {%- for k in range(months + 1) %}
    select
        {{ k }} as months_back,
        scored_{{ k }}.*
    from (
        {{ rfm_scores('completed_orders', 'customer360_id', 'ordered_at', 'order_value',
                      as_of=dbt.dateadd('month', -1 * k, first_month)) }}
    ) as scored_{{ k }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

rfm_keyed as (
    select
        *,
        {{ dbt.concat(['customer360_id', "':'", 'cast(months_back as ' ~ dbt.type_string() ~ ')']) }} as point_key
    from rfm_scored
),

rfm_segmented as (
    {{ rfm_assign_segment('rfm_keyed', 'rules', 'point_key') }}
),

rfm_points as (
    select
        'rfm_segment' as dimension,
        customer360_id,
        months_back,
        rfm_segment as dimension_value
    from rfm_segmented
),

points as (
    select lifecycle_points.*
    from lifecycle_points
    inner join customers on lifecycle_points.customer360_id = customers.customer360_id
    union all
    select rfm_points.*
    from rfm_points
    inner join customers on rfm_points.customer360_id = customers.customer360_id
),

migrations as (
    select
        periods.period_grain,
        periods.start_at,
        periods.end_at,
        period_ends.dimension,
        period_starts.dimension_value as from_value,
        period_ends.dimension_value as to_value,
        count(*) as customers
    from periods
    inner join points as period_ends on periods.end_months_back = period_ends.months_back
    left join points as period_starts
        on
            period_ends.dimension = period_starts.dimension
            and period_ends.customer360_id = period_starts.customer360_id
            and periods.start_months_back = period_starts.months_back
    group by
        periods.period_grain,
        periods.start_at,
        periods.end_at,
        period_ends.dimension,
        period_starts.dimension_value,
        period_ends.dimension_value
),

shares as (
    select
        *,
        sum(customers) over (partition by period_grain, start_at, dimension, from_value) as from_customers
    from migrations
),

final as (
    select
        cast(period_grain as varchar) as period_grain,
        cast(start_at as date) as period_start,
        cast({{ dbt.dateadd('day', -1, 'end_at') }} as date) as period_end,
        cast(dimension as varchar) as dimension,
        cast(from_value as varchar) as from_value,
        cast(to_value as varchar) as to_value,
        cast(customers as integer) as customers,
        cast(from_customers as integer) as from_customers,
        cast({{ safe_divide('customers', 'from_customers') }} as numeric(7, 6)) as share_of_from,
        cast(from_value is null or from_value <> to_value as boolean) as is_change
    from shares
)

select * from final
