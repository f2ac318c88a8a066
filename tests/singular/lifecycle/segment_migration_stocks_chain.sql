{#-
    mart_segment_migration, month grain: the customers who end a month with a
    value are the customers who start the next month with it (the same instant,
    00:00 of the first day), per dimension and value; and the shares of each
    from_value add up to 1. Rows returned = a value whose stocks differ between
    two consecutive months, or a matrix row that does not add up.
-#}

with

months as (
    select * from {{ ref('mart_segment_migration') }}
    where period_grain = 'month'
),

ending as (
    select
        dimension,
        to_value as dimension_value,
        cast({{ dbt.dateadd('day', 1, 'period_end') }} as date) as boundary_date,
        sum(customers) as customers
    from months
    group by dimension, to_value, period_end
),

starting as (
    select
        dimension,
        from_value as dimension_value,
        period_start as boundary_date,
        sum(customers) as customers
    from months
    where from_value is not null
    group by dimension, from_value, period_start
),

bounds as (
    select
        min(period_start) as first_start,
        max(period_end) as last_end
    from months
),

stocks as (
    select
        coalesce(ending.dimension, starting.dimension) as dimension,
        coalesce(ending.dimension_value, starting.dimension_value) as dimension_value,
        coalesce(ending.boundary_date, starting.boundary_date) as boundary_date,
        ending.customers as ending_customers,
        starting.customers as starting_customers
    from ending
    full outer join starting
        on
            ending.dimension = starting.dimension
            and ending.dimension_value = starting.dimension_value
            and ending.boundary_date = starting.boundary_date
),

broken_stocks as (
    select
        stocks.dimension,
        stocks.dimension_value,
        stocks.boundary_date,
        'stocks differ' as problem
    from stocks
    cross join bounds
    where
        stocks.boundary_date > bounds.first_start
        and stocks.boundary_date <= bounds.last_end
        and coalesce(stocks.ending_customers, 0) <> coalesce(stocks.starting_customers, 0)
),

broken_rows as (
    select
        dimension,
        from_value as dimension_value,
        period_start as boundary_date,
        'shares do not add up' as problem
    from {{ ref('mart_segment_migration') }}
    group by period_grain, period_start, dimension, from_value
    having abs(sum(share_of_from) - 1) > 0.0001 or sum(customers) <> max(from_customers)
)

select * from broken_stocks
union all
select * from broken_rows
