{#-
    Campaign KPIs, defined once for fct_campaign_performance_daily (one day),
    mart_campaign_performance (a campaign's totals) and the DDA query 2 analysis (a
    campaign type over a date range). Arguments are SQL expressions of the
    additive measures; every ratio goes through safe_divide (null when the
    denominator is 0):

        ctr  = clicks / impressions        cpc  = cost / clicks
        cvr  = conversions / clicks        cpa  = cost / conversions
        roas = revenue / cost
-#}
{% macro campaign_kpis(impressions='impressions', clicks='clicks', conversions='conversions', revenue='revenue', cost='cost') -%}
    cast({{ safe_divide(clicks, impressions) }} as numeric(10, 6)) as ctr,
    cast({{ safe_divide(conversions, clicks) }} as numeric(10, 6)) as cvr,
    cast({{ safe_divide(cost, clicks) }} as numeric(18, 4)) as cpc,
    cast({{ safe_divide(cost, conversions) }} as numeric(18, 4)) as cpa,
    cast({{ safe_divide(revenue, cost) }} as numeric(18, 4)) as roas
{%- endmacro %}

{#- Planned length of a campaign in days, both ends included; null without an end date. -#}
{% macro campaign_planned_days(start_date, end_date) -%}
    ({{ dbt.datediff(start_date, end_date, 'day') }} + 1)
{%- endmacro %}

{#-
    Days of the campaign elapsed up to and including last_day: 0 before the
    start, at most the planned length (an open-ended campaign is not capped).
-#}
{% macro campaign_elapsed_days(start_date, end_date, last_day) -%}
    case
        when {{ last_day }} < {{ start_date }} then 0
        when {{ end_date }} is not null and {{ last_day }} > {{ end_date }}
            then {{ campaign_planned_days(start_date, end_date) }}
        else {{ dbt.datediff(start_date, last_day, 'day') }} + 1
    end
{%- endmacro %}

{#-
    The part of the budget the campaign should have spent by the end of
    last_day if the budget is spread evenly over the planned days:
    budget x elapsed_days / planned_days. Null without an end date or budget.
-#}
{% macro campaign_expected_spend(budget, start_date, end_date, last_day) -%}
    (({{ budget }}) * ({{ campaign_elapsed_days(start_date, end_date, last_day) }})
        / {{ campaign_planned_days(start_date, end_date) }})
{%- endmacro %}

{#-
    Budget pacing up to and including last_day: spend to date over the
    expected spend (campaign_expected_spend),

        budget_pacing = spend / (budget x elapsed_days / planned_days)

    1 = on pace, above 1 = spending faster than planned, below 1 = slower.
    Null when nothing is expected yet (not started), or without an end date
    or budget.
-#}
{% macro campaign_budget_pacing(spend, budget, start_date, end_date, last_day) -%}
    {{ safe_divide(spend, campaign_expected_spend(budget, start_date, end_date, last_day)) }}
{%- endmacro %}
