{#-
    DDA common query 2: campaign performance by type and date range.

    The date range (both days included) is a pair of vars with defaults, e.g.
        dbt compile --select analysis:dda_02_campaign_performance_by_type_and_date_range \
            --vars '{dda_02_start_date: "2026-01-01", dda_02_end_date: "2026-03-31"}'
    Totals of the daily fact per campaign type and the same KPI formulas as the marts (macro campaign_kpis).
    Metrics of campaigns whose record was rejected are rejected too (PRF-02), so every row has its type.
-#}
{%- set start_date = var('dda_02_start_date') -%}
{%- set end_date = var('dda_02_end_date') -%}
{%- for value in [start_date, end_date] if modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string) is none -%}
    {{ exceptions.raise_compiler_error("dda_02_start_date / dda_02_end_date must be YYYY-MM-DD, got '" ~ value ~ "'") }}
{%- endfor %}

with

daily as (
    select *
    from {{ ref('fct_campaign_performance_daily') }}
    where metric_date between cast('{{ start_date }}' as date) and cast('{{ end_date }}' as date)
),

by_type as (
    select
        campaign_type,
        count(distinct campaign_id) as campaigns,
        count(distinct metric_date) as days_with_metrics,
        min(metric_date) as first_metric_date,
        max(metric_date) as last_metric_date,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(conversions) as conversions,
        sum(revenue) as revenue,
        sum(cost) as cost
    from daily
    group by campaign_type
),

final as (
    select
        cast('{{ start_date }}' as date) as date_from,
        cast('{{ end_date }}' as date) as date_to,
        by_type.*,
        {{ campaign_kpis() }}
    from by_type
)

select * from final
order by revenue desc, campaign_type asc
