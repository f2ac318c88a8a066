{#-
    The one definition of the service satisfaction metrics (mart_service_kpis; the
    customer health score may reuse them):

    nps_band(score)       Net Promoter band of a 0-10 answer: 'promoter' (9-10),
                          'passive' (7-8), 'detractor' (0-6); null when the score is
                          null or outside 0-10.
    nps(promoters, detractors, responses)
                          Net Promoter Score = 100 x (promoters - detractors) / responses,
                          from -100 to 100; null (unknown, not 0) without responses.
    is_csat_satisfied(score)
                          A CSAT rating on the 1-5 scale counts as satisfied at 4 or 5
                          (the top-two-box CSAT); null when unrated.
    csat(satisfied, rated)
                          CSAT = satisfied ratings / rated tickets, 0-1; null without
                          ratings. The mean rating is safe_divide(sum, rated).
    hours_between(start, end)
                          Elapsed hours from start to end (to the second), null when
                          either is null.

    Arguments are SQL expressions (columns or aggregates).
-#}

{% macro nps_band(score) -%}
    case
        when {{ score }} between 9 and 10 then 'promoter'
        when {{ score }} between 7 and 8 then 'passive'
        when {{ score }} between 0 and 6 then 'detractor'
    end
{%- endmacro %}

{% macro nps(promoters, detractors, responses) -%}
    (100.0 * {{ safe_divide('(' ~ promoters ~ ') - (' ~ detractors ~ ')', responses) }})
{%- endmacro %}

{% macro is_csat_satisfied(score) -%}
    ({{ score }} >= 4)
{%- endmacro %}

{% macro csat(satisfied, rated) -%}
    {{ safe_divide(satisfied, rated) }}
{%- endmacro %}

{% macro hours_between(start, end) -%}
    ({{ dbt.datediff(start, end, 'second') }} / 3600.0)
{%- endmacro %}
