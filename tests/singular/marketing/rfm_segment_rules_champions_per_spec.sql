{{ config(tags=['marketing', 'rfm']) }}
{#-
    Spec 002 defines Champions as R >= 4, F >= 4, M >= 4. Every combination of scores 1..5 is classified by
    the delivered seed rfm_segment_rules with the production macro rfm_assign_segment; rows returned =
    combinations where "Champions" and "R, F and M at least 4" disagree.
-#}

with

scores as (
    select generated_number as score
    from ({{ dbt.generate_series(5) }}) as series
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
where
    (rfm_segment = 'Champions') <> (r_score >= 4 and f_score >= 4 and m_score >= 4)
