{#-
    Each customer's intervals in slv_customer_lifecycle_history tile time
    without gaps or overlaps: numbered 1, 2, 3, ... by valid_from, each ends
    where the next starts, and only the last is open (valid_to null). Rows
    returned = intervals that break this.
-#}

with

ordered as (
    select
        customer360_id,
        stage_sequence,
        valid_from,
        valid_to,
        row_number() over (partition by customer360_id order by valid_from) as expected_sequence,
        lead(valid_from) over (partition by customer360_id order by valid_from) as next_valid_from
    from {{ ref('slv_customer_lifecycle_history') }}
)

select *
from ordered
where
    stage_sequence <> expected_sequence
    or (next_valid_from is null and valid_to is not null)
    or (next_valid_from is not null and (valid_to is null or valid_to <> next_valid_from))
