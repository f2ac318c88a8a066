{#-
    Service KPIs, grain period x support channel (email, phone, chat, and 'all' =
    every channel together). period_type 'month': each calendar month from the first
    month with a ticket or an NPS response up to the month of as_of (the current
    month is partial); 'to_date': one row per channel over everything retained up to
    as_of (the headline figures; its medians are over the whole history, not of the months).

    Volumes count a ticket in the month it was opened; outcomes (resolved, first-contact
    resolution, time to resolution, CSAT) in the month it was resolved (slv_support_tickets
    leaves resolved_at null when the resolution is after as_of, so an unresolved ticket
    has no outcome and no rating yet). Open backlog = tickets opened before the period's
    end and not resolved before it (for the current month: open at as_of).

    NPS responses carry no channel: the 'all' row counts every response of the period;
    a channel row counts the responses attributed to the channel of the same person's
    (customer360_id, else the CRM id) latest ticket opened at most
    var service_nps_attribution_days before the response. Responses without such a
    ticket are only in 'all', so channel responses add up to at most the 'all' row.
    Bands and formulas: macros/service/service_metrics.sql.
-#}

{%- set attribution_days = var('service_nps_attribution_days') -%}
{%- set max_months = 12 * var('dq_retention_years') -%}
{%- set as_of_month = 'cast(' ~ dbt.date_trunc('month', as_of_timestamp()) ~ ' as date)' -%}
{%- set resolution_measures -%}
        count(*) as tickets_resolved,
        sum(first_contact_flag) as resolved_first_contact,
        avg(resolution_hours) as resolution_hours_mean,
        {{ median('resolution_hours') }} as resolution_hours_median,
        count(csat_score) as csat_rated,
        sum(csat_satisfied_flag) as csat_satisfied,
        sum(csat_score) as csat_score_sum
{%- endset -%}
{%- set nps_measures -%}
        count(*) as responses,
        sum(case when nps_band = 'promoter' then 1 else 0 end) as promoters,
        sum(case when nps_band = 'passive' then 1 else 0 end) as passives,
        sum(case when nps_band = 'detractor' then 1 else 0 end) as detractors
{%- endset -%}

with

ticket_rows as (
    select
        ticket_id,
        customer_id,
        channel,
        opened_at,
        resolved_at,
        csat_score,
        is_first_contact_resolution
    from {{ ref('slv_support_tickets') }}
),

tickets as (
    select
        ticket_id,
        coalesce(customer360_id, customer_id) as person_key,
        channel,
        opened_at,
        cast({{ dbt.date_trunc('month', 'opened_at') }} as date) as opened_month,
        resolved_at,
        cast({{ dbt.date_trunc('month', 'resolved_at') }} as date) as resolved_month,
        cast({{ hours_between('opened_at', 'resolved_at') }} as {{ type_double() }}) as resolution_hours,
        csat_score,
        case when {{ is_csat_satisfied('csat_score') }} then 1 else 0 end as csat_satisfied_flag,
        case when is_first_contact_resolution then 1 else 0 end as first_contact_flag
    from ({{ map_to_customer360('ticket_rows', [('crm', 'customer_id')]) }}) as mapped
),

response_rows as (
    select
        response_id,
        customer_id,
        responded_at,
        nps_score
    from {{ ref('slv_nps_responses') }}
),

responses as (
    select
        response_id,
        coalesce(customer360_id, customer_id) as person_key,
        responded_at,
        cast({{ dbt.date_trunc('month', 'responded_at') }} as date) as responded_month,
        {{ nps_band('nps_score') }} as nps_band
    from ({{ map_to_customer360('response_rows', [('crm', 'customer_id')]) }}) as mapped
),

-- the person's latest ticket opened in the attribution window before the response
response_tickets as (
    select
        responses.response_id,
        tickets.channel,
        row_number() over (
            partition by responses.response_id
            order by tickets.opened_at desc, tickets.ticket_id desc
        ) as ticket_rank
    from responses
    inner join tickets
        on
            responses.person_key = tickets.person_key
            and responses.responded_at >= tickets.opened_at
            and tickets.opened_at >= {{ dbt.dateadd('day', -1 * attribution_days, 'responses.responded_at') }}
),

tickets_by_channel as (
    select
        tickets.*,
        tickets.channel as channel_key
    from tickets
    union all
    select
        tickets.*,
        'all' as channel_key
    from tickets
),

responses_by_channel as (
    select
        responses.*,
        response_tickets.channel as channel_key
    from responses
    inner join response_tickets
        on
            responses.response_id = response_tickets.response_id
            and response_tickets.ticket_rank = 1
    union all
    select
        responses.*,
        'all' as channel_key
    from responses
),

channels as (
    select distinct channel_key from tickets_by_channel
),

months as (
    select cast({{ dbt.dateadd('month', '1 - generated_number', as_of_month) }} as date) as period_start
    from ({{ dbt.generate_series(max_months + 1) }}) as series
),

first_month as (
    select min(first_month) as first_month
    from (
        select min(opened_month) as first_month from tickets
        union all
        select min(responded_month) as first_month from responses
    ) as firsts
),

periods as (
    select
        'month' as period_type,
        months.period_start,
        cast({{ dbt.dateadd('month', 1, 'months.period_start') }} as date) as period_end
    from months
    inner join first_month on months.period_start >= first_month.first_month
    union all
    select
        'to_date' as period_type,
        first_month.first_month as period_start,
        cast({{ dbt.dateadd('month', 1, as_of_month) }} as date) as period_end
    from first_month
    where first_month.first_month is not null
),

opened as (
    select
        channel_key,
        opened_month as period_start,
        count(*) as tickets_opened
    from tickets_by_channel
    group by channel_key, opened_month
),

-- outcomes per month ('month') and over everything ('to_date', from the first month)
resolved as (
    select
        'month' as period_type,
        channel_key,
        resolved_month as period_start,
        {{ resolution_measures }}
    from tickets_by_channel
    where resolved_at is not null
    group by channel_key, resolved_month
    union all
    select
        'to_date' as period_type,
        tickets_by_channel.channel_key,
        first_month.first_month as period_start,
        {{ resolution_measures }}
    from tickets_by_channel
    cross join first_month
    where tickets_by_channel.resolved_at is not null
    group by tickets_by_channel.channel_key, first_month.first_month
),

nps_counts as (
    select
        'month' as period_type,
        channel_key,
        responded_month as period_start,
        {{ nps_measures }}
    from responses_by_channel
    group by channel_key, responded_month
    union all
    select
        'to_date' as period_type,
        responses_by_channel.channel_key,
        first_month.first_month as period_start,
        {{ nps_measures }}
    from responses_by_channel
    cross join first_month
    group by responses_by_channel.channel_key, first_month.first_month
),

grid as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_end,
        channels.channel_key
    from periods
    cross join channels
),

-- volumes: opened in the period; backlog = opened before its end minus resolved before its end
volumes as (
    select
        grid.period_type,
        grid.period_start,
        grid.channel_key,
        coalesce(sum(case when opened.period_start >= grid.period_start then opened.tickets_opened end), 0)
            as tickets_opened,
        coalesce(sum(opened.tickets_opened), 0) as opened_before_end
    from grid
    left join opened
        on
            grid.channel_key = opened.channel_key
            and grid.period_end > opened.period_start
    group by grid.period_type, grid.period_start, grid.channel_key
),

resolved_before_end as (
    select
        grid.period_type,
        grid.period_start,
        grid.channel_key,
        coalesce(sum(resolved.tickets_resolved), 0) as resolved_before_end
    from grid
    left join resolved
        on
            grid.channel_key = resolved.channel_key
            and resolved.period_type = 'month'
            and grid.period_end > resolved.period_start
    group by grid.period_type, grid.period_start, grid.channel_key
),

final as (
    select
        {{ dbt.concat(['grid.period_type', "'|'", 'cast(grid.period_start as ' ~ dbt.type_string() ~ ')', "'|'", 'grid.channel_key']) }}
            as service_kpi_key,
        grid.period_type,
        grid.period_start,
        grid.period_end,
        grid.period_end <= {{ as_of_date() }} as is_complete_period,
        grid.channel_key as channel,
        cast(volumes.tickets_opened as {{ dbt.type_bigint() }}) as tickets_opened,
        cast(coalesce(resolved.tickets_resolved, 0) as {{ dbt.type_bigint() }}) as tickets_resolved,
        cast(coalesce(resolved.resolved_first_contact, 0) as {{ dbt.type_bigint() }}) as tickets_resolved_first_contact,
        cast({{ safe_divide('resolved.resolved_first_contact', 'resolved.tickets_resolved') }} as {{ type_double() }})
            as first_contact_resolution_rate,
        cast(resolved.resolution_hours_mean as {{ type_double() }}) as resolution_hours_mean,
        cast(resolved.resolution_hours_median as {{ type_double() }}) as resolution_hours_median,
        cast(volumes.opened_before_end - resolved_before_end.resolved_before_end as {{ dbt.type_bigint() }})
            as open_backlog,
        cast(coalesce(resolved.csat_rated, 0) as {{ dbt.type_bigint() }}) as csat_rated_tickets,
        cast(coalesce(resolved.csat_satisfied, 0) as {{ dbt.type_bigint() }}) as csat_satisfied_tickets,
        cast({{ csat('resolved.csat_satisfied', 'resolved.csat_rated') }} as {{ type_double() }}) as csat,
        cast({{ safe_divide('resolved.csat_score_sum', 'resolved.csat_rated') }} as {{ type_double() }})
            as csat_score_mean,
        cast(coalesce(nps_counts.responses, 0) as {{ dbt.type_bigint() }}) as nps_responses,
        cast(coalesce(nps_counts.promoters, 0) as {{ dbt.type_bigint() }}) as nps_promoters,
        cast(coalesce(nps_counts.passives, 0) as {{ dbt.type_bigint() }}) as nps_passives,
        cast(coalesce(nps_counts.detractors, 0) as {{ dbt.type_bigint() }}) as nps_detractors,
        cast({{ nps('nps_counts.promoters', 'nps_counts.detractors', 'nps_counts.responses') }} as {{ type_double() }})
            as nps
    from grid
    inner join volumes
        on
            grid.period_type = volumes.period_type
            and grid.period_start = volumes.period_start
            and grid.channel_key = volumes.channel_key
    inner join resolved_before_end
        on
            grid.period_type = resolved_before_end.period_type
            and grid.period_start = resolved_before_end.period_start
            and grid.channel_key = resolved_before_end.channel_key
    left join resolved
        on
            grid.period_type = resolved.period_type
            and grid.period_start = resolved.period_start
            and grid.channel_key = resolved.channel_key
    left join nps_counts
        on
            grid.period_type = nps_counts.period_type
            and grid.period_start = nps_counts.period_start
            and grid.channel_key = nps_counts.channel_key
)

select * from final
