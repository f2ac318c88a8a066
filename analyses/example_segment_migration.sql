-- Segment migration: where last quarter's at-risk customers went, and the month-by-month RFM moves of Champions.
select
    period_grain,
    period_start,
    period_end,
    dimension,
    from_value,
    to_value,
    customers,
    share_of_from
from {{ ref('mart_segment_migration') }}
where
    (dimension = 'lifecycle_stage' and period_grain = 'quarter' and from_value = 'at_risk')
    or (dimension = 'rfm_segment' and period_grain = 'month' and from_value = 'Champions' and is_change)
order by dimension asc, period_start desc, customers desc
