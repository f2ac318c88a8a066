{#-
    One row per DDA rule (and entity, for the domain-wide rules) for this run:
    rows checked, rows failed, the share failed, the threshold and a status.

    status: row rules  pass = nothing rejected, warn = rows rejected but under
                       the DDA's 1 % budget, fail = 1 % or more of the entity
            GEN-01     fail when more than 5 % of required fields are empty
                       (checked_rows counts required cells, failed_rows empty ones;
                       a table delivered empty fails, 1 of 1)
            GEN-02     fail when 1 % or more of the entity's rows broke any rule
            DEL-01     fail when a table of the contract was delivered empty
                       (a header only): the build goes on, every count is 0
            PRF-06     fail when an Active campaign has no metrics for the day
                       before "now"
            GEN-03/04/06 are judged on silver and gold, at the end of the
                       graph: test dda_governance and dq_governance_report
                       (macros/governance/governance.sql), not here
            GEN-05     fail when the latest interaction was recorded more than
                       24 hours before "now" or the latest campaign metrics are
                       older than the day before "now"
    Rows are judged in staging and counted once in dq_table_stats; this model
    adds the table rules and the statuses. The table rules read the current
    versions of bronze (_is_current).
-#}
{%- set max_bad_pct = var('dq_max_bad_row_pct') -%}
{%- set max_missing_pct = 100 - var('dq_min_completeness_pct') -%}

with

stats as (
    select * from {{ ref('dq_table_stats') }}
),

active_campaigns as (
    select campaign_id
    from {{ ref('brz_marketing__campaigns') }}
    where
        _is_current
        and status = 'Active'
        and start_date <= {{ dbt.dateadd('day', -1, as_of_date()) }}
        and (end_date is null or end_date >= {{ dbt.dateadd('day', -1, as_of_date()) }})
),

metrics_yesterday as (
    select distinct campaign_id
    from {{ ref('brz_marketing__campaign_performance') }}
    where _is_current and metric_date = cast({{ dbt.dateadd('day', -1, as_of_date()) }} as date)
),

prf_06 as (
    select
        count(*) as checked_rows,
        sum(case when metrics_yesterday.campaign_id is null then 1 else 0 end) as failed_rows
    from active_campaigns
    left join metrics_yesterday
        on active_campaigns.campaign_id = metrics_yesterday.campaign_id
),

freshness as (
    select
        'Customer Interaction' as entity,
        'interactions' as source_table,
        case
            when max(recorded_at) >= {{ dbt.dateadd('hour', -1 * var('dq_max_recording_delay_hours'), as_of_timestamp()) }}
                then 0
            else 1
        end as failed_rows
    from {{ ref('brz_crm__interactions') }}
    where _is_current
    union all
    select
        'Campaign Performance' as entity,
        'campaign_performance' as source_table,
        case
            when max(metric_date) >= cast({{ dbt.dateadd('day', -1, as_of_date()) }} as date) then 0
            else 1
        end as failed_rows
    from {{ ref('brz_marketing__campaign_performance') }}
    where _is_current
),

counted as (
    select
        rule_id,
        entity,
        source_table,
        'row' as rule_kind,
        distinct_rows as checked_rows,
        failed_rows,
        {{ max_bad_pct }} as threshold_pct
    from stats
    where rule_id is not null
    union all
    select
        'GEN-01' as rule_id,
        entity,
        source_table,
        'table' as rule_kind,
        -- a table delivered empty has none of its required fields: one check, failed
        case when distinct_rows = 0 then 1 else distinct_rows * required_fields end as checked_rows,
        case when distinct_rows = 0 then 1 else missing_cells end as failed_rows,
        {{ max_missing_pct }} as threshold_pct
    from stats
    where rule_id is null
    union all
    select
        'GEN-02' as rule_id,
        entity,
        source_table,
        'table' as rule_kind,
        distinct_rows as checked_rows,
        failed_rows,
        {{ max_bad_pct }} as threshold_pct
    from stats
    where rule_id is null
    union all
    select
        'DEL-01' as rule_id,
        entity,
        source_table,
        'table' as rule_kind,
        1 as checked_rows,
        case when raw_rows = 0 then 1 else 0 end as failed_rows,
        0 as threshold_pct
    from stats
    where rule_id is null
    union all
    select
        'PRF-06' as rule_id,
        'Campaign Performance' as entity,
        'campaign_performance' as source_table,
        'table' as rule_kind,
        checked_rows,
        failed_rows,
        0 as threshold_pct
    from prf_06
    union all
    select
        'GEN-05' as rule_id,
        entity,
        source_table,
        'table' as rule_kind,
        1 as checked_rows,
        failed_rows,
        0 as threshold_pct
    from freshness
),

with_pct as (
    select
        *,
        case
            when checked_rows > 0 then round(cast(100.0 * failed_rows / checked_rows as {{ dbt.type_numeric() }}), 3)
            else 0
        end as failed_pct
    from counted
),

final as (
    select
        with_pct.rule_id,
        with_pct.entity,
        with_pct.source_table,
        with_pct.rule_kind,
        rules.description as rule_description,
        with_pct.checked_rows,
        coalesce(with_pct.failed_rows, 0) as failed_rows,
        with_pct.failed_pct,
        with_pct.threshold_pct,
        case
            when coalesce(with_pct.failed_rows, 0) = 0 then 'pass'
            when with_pct.rule_id in ('GEN-01', 'PRF-06', 'GEN-05')
                then case when with_pct.failed_pct > with_pct.threshold_pct then 'fail' else 'pass' end
            when with_pct.failed_pct >= with_pct.threshold_pct then 'fail'
            when with_pct.rule_kind = 'row' then 'warn'
            else 'pass'
        end as status,
        {{ as_of_timestamp() }} as as_of,
        '{{ invocation_id }}' as run_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as run_started_at
    from with_pct
    left join {{ ref('dq_rules') }} as rules
        on with_pct.rule_id = rules.rule_id
)

select * from final
