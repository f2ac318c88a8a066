{#-
    App stability per week (Monday start, UTC) and app platform (ios, android, and all: both together): app
    sessions (slv_product_events visits on channel app, macro sessionize), sessions with at least one app_crash
    event, the share of crash-free sessions, app users (customer360_id with an app session started that week)
    and the share of them with no crashed session that week. A session counts in the week it started. The
    source sends no app version, so there is no version split.
-#}

with

app_events as (
    select
        session_id,
        customer360_id,
        platform,
        event_at,
        event_type
    from {{ ref('slv_product_events') }}
    where channel = 'app'
),

sessions as (
    select
        session_id,
        min(customer360_id) as customer360_id,
        min(platform) as platform,
        cast({{ dbt.date_trunc('week', 'min(event_at)') }} as date) as week_start,
        count(case when event_type = 'app_crash' then 1 end) as crashes
    from app_events
    group by session_id
),

by_platform as (
    select
        week_start,
        platform,
        session_id,
        customer360_id,
        crashes
    from sessions
    union all
    select
        week_start,
        'all' as platform,
        session_id,
        customer360_id,
        crashes
    from sessions
),

weekly as (
    select
        week_start,
        platform,
        count(*) as app_sessions,
        count(case when crashes > 0 then 1 end) as crashed_sessions,
        sum(crashes) as crashes,
        count(distinct customer360_id) as app_users,
        count(distinct case when crashes > 0 then customer360_id end) as crashed_users
    from by_platform
    group by week_start, platform
),

final as (
    select
        cast({{ dbt.concat(['cast(week_start as ' ~ dbt.type_string() ~ ')', "'|'", 'platform']) }} as varchar)
            as week_platform_key,
        cast(week_start as date) as week_start,
        cast(platform as varchar) as platform,
        cast(app_sessions as bigint) as app_sessions,
        cast(crashed_sessions as bigint) as crashed_sessions,
        cast(app_sessions - crashed_sessions as bigint) as crash_free_sessions,
        cast({{ safe_divide('app_sessions - crashed_sessions', 'app_sessions') }} as {{ type_double() }})
            as crash_free_session_rate,
        cast(crashes as bigint) as crashes,
        cast(app_users as bigint) as app_users,
        cast(crashed_users as bigint) as crashed_users,
        cast(app_users - crashed_users as bigint) as crash_free_users,
        cast({{ safe_divide('app_users - crashed_users', 'app_users') }} as {{ type_double() }})
            as crash_free_user_rate
    from weekly
)

select * from final
