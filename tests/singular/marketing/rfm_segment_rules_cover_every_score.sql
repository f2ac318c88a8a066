{{ config(tags=['marketing', 'rfm'], severity='warn') }}
{#-
    The delivered rules give every combination of scores 1..var rfm_bins a segment (none falls to
    var rfm_fallback_segment). A warning: an analyst may leave gaps on purpose. Rows returned = combinations
    that match no rule.
-#}

with

scores as (
    select generated_number as score
    from ({{ dbt.generate_series(var('rfm_bins')) }}) as series
),

combinations as (
    select
        r.score * 100 + f.score * 10 + m.score as combination_id,
        r.score as r_score,
        f.score as f_score,
        m.score as m_score
    from scores as r
    cross join scores as f
    cross join scores as m
),

rules as (
    select * from {{ ref('rfm_segment_rules') }}
),

classified as (
    {{ rfm_assign_segment('combinations', 'rules', 'combination_id') }}
)

select *
from classified
where rfm_segment_priority is null
