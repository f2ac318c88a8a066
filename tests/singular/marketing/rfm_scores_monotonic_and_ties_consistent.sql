{{ config(tags=['marketing', 'rfm']) }}
{#-
    The RFM tie rule on the built data: equal values always get the same score, and a better value never gets a
    lower score (recency: fewer days is better). Rows returned = a measure and value that break it.
-#}

with

measures as (
    select
        'recency' as measure,
        -1 * recency_days as better_value,
        r_score as score
    from {{ ref('mart_customer_segmentation') }}
    union all
    select
        'frequency' as measure,
        frequency as better_value,
        f_score as score
    from {{ ref('mart_customer_segmentation') }}
    union all
    select
        'monetary' as measure,
        monetary as better_value,
        m_score as score
    from {{ ref('mart_customer_segmentation') }}
),

per_value as (
    select
        measure,
        better_value,
        min(score) as min_score,
        max(score) as max_score
    from measures
    group by measure, better_value
),

ordered as (
    select
        measure,
        better_value,
        min_score,
        max_score,
        max(max_score) over (
            partition by measure order by better_value
            rows between unbounded preceding and 1 preceding
        ) as best_score_of_worse_values
    from per_value
)

select *
from ordered
where
    min_score <> max_score
    or min_score < best_score_of_worse_values
