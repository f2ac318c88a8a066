-- mart_service_kpis adds up: per channel the months sum to the to_date row (and the last month's backlog is the
-- to_date backlog); per period the channels sum to the `all` row (NPS: at most, responses without a recent ticket
-- are only in `all`); each month's backlog is the previous one + opened - resolved; and the to_date `all` row has
-- every ticket, resolution, open ticket and NPS response of silver. Returns one row per disagreement.
with

kpis as (
    select * from {{ ref('mart_service_kpis') }}
),

months as (
    select * from kpis
    where period_type = 'month'
),

to_date as (
    select * from kpis
    where period_type = 'to_date'
),

month_sums as (
    select
        channel,
        sum(tickets_opened) as tickets_opened,
        sum(tickets_resolved) as tickets_resolved,
        sum(tickets_resolved_first_contact) as tickets_resolved_first_contact,
        sum(csat_rated_tickets) as csat_rated_tickets,
        sum(csat_satisfied_tickets) as csat_satisfied_tickets,
        sum(nps_responses) as nps_responses,
        sum(nps_promoters) as nps_promoters,
        sum(nps_detractors) as nps_detractors,
        max(period_start) as last_month
    from months
    group by channel
),

channel_sums as (
    select
        period_type,
        period_start,
        sum(tickets_opened) as tickets_opened,
        sum(tickets_resolved) as tickets_resolved,
        sum(tickets_resolved_first_contact) as tickets_resolved_first_contact,
        sum(csat_rated_tickets) as csat_rated_tickets,
        sum(open_backlog) as open_backlog,
        sum(nps_responses) as nps_responses
    from kpis
    where channel <> 'all'
    group by period_type, period_start
),

flows as (
    select
        channel,
        period_start,
        open_backlog,
        tickets_opened,
        tickets_resolved,
        lag(open_backlog) over (partition by channel order by period_start) as previous_backlog
    from months
),

silver as (
    select
        count(*) as tickets,
        count(resolved_at) as resolved,
        count(*) - count(resolved_at) as open_at_as_of
    from {{ ref('slv_support_tickets') }}
),

responses as (
    select count(*) as responses from {{ ref('slv_nps_responses') }}
)

select
    'months sum to to_date' as check_name,
    to_date.channel,
    to_date.period_start
from to_date
inner join month_sums on to_date.channel = month_sums.channel
where
    to_date.tickets_opened <> month_sums.tickets_opened
    or to_date.tickets_resolved <> month_sums.tickets_resolved
    or to_date.tickets_resolved_first_contact <> month_sums.tickets_resolved_first_contact
    or to_date.csat_rated_tickets <> month_sums.csat_rated_tickets
    or to_date.csat_satisfied_tickets <> month_sums.csat_satisfied_tickets
    or to_date.nps_responses <> month_sums.nps_responses
    or to_date.nps_promoters <> month_sums.nps_promoters
    or to_date.nps_detractors <> month_sums.nps_detractors

union all

select
    'to_date backlog is the last month''s' as check_name,
    to_date.channel,
    to_date.period_start
from to_date
inner join month_sums on to_date.channel = month_sums.channel
inner join months on to_date.channel = months.channel and month_sums.last_month = months.period_start
where to_date.open_backlog <> months.open_backlog

union all

select
    'channels sum to all' as check_name,
    kpis.channel,
    kpis.period_start
from kpis
inner join channel_sums
    on kpis.period_type = channel_sums.period_type and kpis.period_start = channel_sums.period_start
where
    kpis.channel = 'all'
    and (
        kpis.tickets_opened <> channel_sums.tickets_opened
        or kpis.tickets_resolved <> channel_sums.tickets_resolved
        or kpis.tickets_resolved_first_contact <> channel_sums.tickets_resolved_first_contact
        or kpis.csat_rated_tickets <> channel_sums.csat_rated_tickets
        or kpis.open_backlog <> channel_sums.open_backlog
        or kpis.nps_responses < channel_sums.nps_responses
    )

union all

select
    'backlog flow' as check_name,
    channel,
    period_start
from flows
where open_backlog <> coalesce(previous_backlog, 0) + tickets_opened - tickets_resolved

union all

select
    'to_date all has every silver ticket and response' as check_name,
    to_date.channel,
    to_date.period_start
from to_date
cross join silver
cross join responses
where
    to_date.channel = 'all'
    and (
        to_date.tickets_opened <> silver.tickets
        or to_date.tickets_resolved <> silver.resolved
        or to_date.open_backlog <> silver.open_at_as_of
        or to_date.nps_responses <> responses.responses
    )
