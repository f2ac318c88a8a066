-- App stability (mart_app_stability): crash-free session and user rates per app platform over the last 12 weeks
-- before as_of, and over the whole history (sessions add up across weeks; users do not, so the all-time user rate
-- is not computed from the weekly rows).
select
    platform,
    sum(app_sessions) as app_sessions,
    sum(crashed_sessions) as crashed_sessions,
    {{ safe_divide('sum(crash_free_sessions)', 'sum(app_sessions)') }} as crash_free_session_rate,
    sum(case when week_start >= {{ dbt.dateadd('week', -12, as_of_date()) }} then app_sessions else 0 end)
        as app_sessions_last_12_weeks,
    {{ safe_divide(
        'sum(case when week_start >= ' ~ dbt.dateadd('week', -12, as_of_date()) ~ ' then crash_free_sessions else 0 end)',
        'sum(case when week_start >= ' ~ dbt.dateadd('week', -12, as_of_date()) ~ ' then app_sessions else 0 end)'
    ) }} as crash_free_session_rate_last_12_weeks
from {{ ref('mart_app_stability') }}
group by platform
order by platform
