-- Service KPIs by support channel over everything retained up to as_of (the to_date rows), with the 'all' row:
-- NPS (-100..100), CSAT (share of ratings 4-5), first-contact resolution, median and mean hours to resolution,
-- and the backlog open at as_of. Monthly trend: filter period_type = 'month' (and is_complete_period). Ratios are
-- doubles: cast to numeric before round() (Postgres has no round(double precision, integer)).
select
    channel,
    tickets_opened,
    tickets_resolved,
    round(cast(first_contact_resolution_rate as {{ dbt.type_numeric() }}), 3) as first_contact_resolution_rate,
    round(cast(resolution_hours_median as {{ dbt.type_numeric() }}), 1) as resolution_hours_median,
    round(cast(resolution_hours_mean as {{ dbt.type_numeric() }}), 1) as resolution_hours_mean,
    open_backlog,
    csat_rated_tickets,
    round(cast(csat as {{ dbt.type_numeric() }}), 3) as csat,
    round(cast(csat_score_mean as {{ dbt.type_numeric() }}), 2) as csat_score_mean,
    nps_responses,
    round(cast(nps as {{ dbt.type_numeric() }}), 1) as nps
from {{ ref('mart_service_kpis') }}
where period_type = 'to_date'
order by case when channel = 'all' then 1 else 0 end, channel
