{#- Daily campaign metrics (DDA "Campaign Performance"): typed, every PRF row rule flagged. -#}
{%- set raw_columns = ['performance_id', 'campaign_id', 'metric_date', 'impressions', 'clicks', 'conversions',
    'revenue', 'cost'] -%}

with

source as (
    select * from {{ raw_source('marketing', 'campaign_performance') }}
),

campaigns as (
    -- PRF-02 and PRF-04 judge against the campaign as delivered (its first row), and a valid campaign is an
    -- accepted one: metrics naming a campaign whose record was rejected are rejected too
    -- (README, "Data quality: how a rule is enforced")
    select
        campaign_id,
        _is_accepted as is_accepted,
        start_date,
        end_date
    from {{ ref('stg_marketing__campaigns') }}
    where _key_rank = 1
),

typed as (
    select
        nullif(trim(performance_id), '') as performance_id,
        nullif(trim(campaign_id), '') as campaign_id,
        metric_date as metric_date_raw,
        {{ parse_date('metric_date') }} as metric_date,
        impressions as impressions_raw,
        {{ parse_integer('impressions') }} as impressions,
        clicks as clicks_raw,
        {{ parse_integer('clicks') }} as clicks,
        conversions as conversions_raw,
        {{ parse_integer('conversions') }} as conversions,
        revenue as revenue_raw,
        {{ parse_decimal('revenue') }} as revenue,
        cost as cost_raw,
        {{ parse_decimal('cost') }} as cost,
        nullif(trim(performance_id), '') as _record_id,
        {{ row_hash(raw_columns) }} as _row_hash,

        -- PRF-08: every raw value within the length limit of its kind (source column meta.kind)
        {{ dq_length_problem('campaign_performance') }} as dq_prf_08,

        -- GEN-07: a person erased on request (GDPR) does not come back with a later delivery (macros/privacy/erasure.sql)
        {{ dq_erased_problem('campaign_performance') }} as dq_gen_07
    from source
),

copies as (
    select *, {{ dq_copy_number() }} as _copy_number from typed
),

ranked as (
    select
        *,
        {{ dq_key_rank('performance_id', '_row_hash') }} as _key_rank,
        {{ dq_key_rank('campaign_id, metric_date', 'performance_id') }} as _campaign_day_rank
    from copies
),

flagged as (
    select
        ranked.*,
        coalesce(
            {{ dq_later_duplicate('ranked.performance_id', 'performance_id') }},
            case
                when ranked.campaign_id is not null and ranked.metric_date is not null
                    and ranked._campaign_day_rank > 1
                    then 'second row for ' || {{ dq_value('campaign_id', 'ranked.campaign_id') }}
                        || ' on ' || {{ dq_value('metric_date', 'ranked.metric_date_raw') }}
            end
        ) as dq_prf_01,
        {{ dq_reference_problem('ranked.campaign_id', 'campaigns', 'campaign_id', 'is not a delivered campaign',
            'campaign') }} as dq_prf_02,
        case
            when ranked.impressions < 0 then {{ dq_value('impressions', 'ranked.impressions_raw') }} || ' is negative'
            when ranked.clicks < 0 then {{ dq_value('clicks', 'ranked.clicks_raw') }} || ' is negative'
            when ranked.conversions < 0 then {{ dq_value('conversions', 'ranked.conversions_raw') }} || ' is negative'
            when ranked.revenue < 0 then {{ dq_value('revenue', 'ranked.revenue_raw') }} || ' is negative'
            when ranked.cost < 0 then {{ dq_value('cost', 'ranked.cost_raw') }} || ' is negative'
        end as dq_prf_03,
        case
            when ranked.metric_date < campaigns.start_date or ranked.metric_date > campaigns.end_date
                then {{ dq_value('metric_date', 'ranked.metric_date_raw') }} || ' is outside the campaign period '
                    || coalesce(cast(campaigns.start_date as {{ dbt.type_string() }}), 'unknown') || ' to '
                    || coalesce(cast(campaigns.end_date as {{ dbt.type_string() }}), 'open')
        end as dq_prf_04,
        case
            when ranked.clicks > ranked.impressions
                then {{ dq_value('clicks', 'ranked.clicks_raw') }} || ' exceeds '
                    || {{ dq_value('impressions', 'ranked.impressions_raw') }}
            when ranked.conversions > ranked.clicks
                then {{ dq_value('conversions', 'ranked.conversions_raw') }} || ' exceeds '
                    || {{ dq_value('clicks', 'ranked.clicks_raw') }}
        end as dq_prf_05,
        coalesce(
            {{ dq_time_problem('ranked.metric_date_raw', 'ranked.metric_date', not_future=false, kind='date') }},
            {{ dq_number_problem('ranked.impressions_raw', 'ranked.impressions', kind='integer') }},
            {{ dq_number_problem('ranked.clicks_raw', 'ranked.clicks', kind='integer') }},
            {{ dq_number_problem('ranked.conversions_raw', 'ranked.conversions', kind='integer') }},
            {{ dq_number_problem('ranked.revenue_raw', 'ranked.revenue') }},
            {{ dq_number_problem('ranked.cost_raw', 'ranked.cost') }}
        ) as dq_prf_07
    from ranked
    left join campaigns
        on ranked.campaign_id = campaigns.campaign_id
),

final as (
    select *, {{ dq_is_accepted('campaign_performance') }} as _is_accepted from flagged
)

select * from final
