{#-
    Periodic snapshot fact, grain campaign x metric_date: one row per accepted
    daily metrics row (silver slv_campaign_daily_metrics) with the campaign's
    attributes, the day's KPIs (macro campaign_kpis) and the budget pacing
    reached by the end of the day (macro campaign_budget_pacing on the
    cumulative cost). Additive: impressions, clicks, conversions, revenue,
    cost. Non-additive: the ratios (recompute them from the sums with
    campaign_kpis), campaign_budget, cumulative_cost, budget_pacing.
-#}
{#- Postgres serving (issue 13): indexes for the DDA access patterns and the customer lookup. Postgres only:
    dbt-duckdb would create them too, and its drop-and-rename of an indexed table races with other threads. -#}
{%- if target.type == 'postgres' %}{{ config(indexes=[{'columns': ['metric_date', 'campaign_type']}]) }}{% endif %}

with

metrics as (
    select * from {{ ref('slv_campaign_daily_metrics') }}
),

cumulated as (
    select
        metrics.*,
        sum(metrics.cost) over (
            partition by metrics.campaign_id order by metrics.metric_date rows between unbounded preceding and current row
        ) as cumulative_cost
    from metrics
),

final as (
    select
        cast({{ dbt.concat(['campaign_id', "':'", 'cast(metric_date as ' ~ dbt.type_string() ~ ')']) }} as varchar)
            as campaign_day_key,
        cast(campaign_id as varchar) as campaign_id,
        cast(metric_date as date) as metric_date,
        cast(performance_id as varchar) as performance_id,
        cast(is_campaign_accepted as boolean) as is_campaign_accepted,
        cast(campaign_name as varchar) as campaign_name,
        cast(campaign_type as varchar) as campaign_type,
        cast(campaign_status as varchar) as campaign_status,
        cast(campaign_start_date as date) as campaign_start_date,
        cast(campaign_end_date as date) as campaign_end_date,
        cast(campaign_budget as numeric(18, 2)) as campaign_budget,
        cast({{ dbt.datediff('campaign_start_date', 'metric_date', 'day') }} + 1 as integer) as campaign_day_number,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(conversions as bigint) as conversions,
        cast(revenue as numeric(18, 2)) as revenue,
        cast(cost as numeric(18, 2)) as cost,
        {{ campaign_kpis() }},
        cast(cumulative_cost as numeric(18, 2)) as cumulative_cost,
        cast(
            {{ campaign_budget_pacing('cumulative_cost', 'campaign_budget', 'campaign_start_date', 'campaign_end_date', 'metric_date') }}
            as numeric(18, 4)
        ) as budget_pacing
    from cumulated
)

select * from final
