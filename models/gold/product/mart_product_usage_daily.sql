{#-
    Daily, weekly and monthly active users and stickiness per day and platform, for the last
    var product_usage_days complete days before as_of. A user (customer360_id) is active on a day when they
    have a visit event that day (slv_product_events: any web or app event of a session; messages sent or
    opened are not activity). Platforms: web, app (ios and android) and all (either; a user active on both
    counts once). DAU = active that day; WAU / MAU = active on at least one day of the rolling
    var product_wau_days (7) / var product_mau_days (30) days ending on the day, the day included.
    Stickiness = DAU / MAU (and WAU / MAU).
-#}

{%- set usage_days = var('product_usage_days') -%}
{%- set wau_days = var('product_wau_days') -%}
{%- set mau_days = var('product_mau_days') -%}

with

days as (
    select cast(date_day as date) as activity_date
    from (
        {{ dbt_utils.date_spine(
            datepart='day',
            start_date=dbt.dateadd('day', -1 * usage_days, as_of_date()),
            end_date=as_of_date()
        ) }}
    ) as spine
),

platforms as (
    {{ literal_rows([{'platform': 'web'}, {'platform': 'app'}, {'platform': 'all'}]) }}
),

visit_days as (
    select distinct
        customer360_id,
        channel,
        event_date
    from {{ ref('slv_product_events') }}
    where
        event_date >= {{ dbt.dateadd('day', -1 * (usage_days + mau_days), as_of_date()) }}
        and event_date < {{ as_of_date() }}
),

user_days as (
    select
        customer360_id,
        channel as platform,
        event_date
    from visit_days
    union
    select
        customer360_id,
        'all' as platform,
        event_date
    from visit_days
),

daily as (
    select
        days.activity_date,
        platforms.platform,
        count(distinct case when user_days.event_date = days.activity_date then user_days.customer360_id end)
            as dau,
        count(distinct case
            when user_days.event_date > {{ dbt.dateadd('day', -1 * wau_days, 'days.activity_date') }}
                then user_days.customer360_id
        end) as wau,
        count(distinct user_days.customer360_id) as mau
    from days
    cross join platforms
    left join user_days
        on platforms.platform = user_days.platform
            and days.activity_date >= user_days.event_date
            and {{ dbt.dateadd('day', -1 * mau_days, 'days.activity_date') }} < user_days.event_date
    group by days.activity_date, platforms.platform
),

final as (
    select
        cast(
            {{ dbt.concat(['cast(activity_date as ' ~ dbt.type_string() ~ ')', "'|'", 'platform']) }} as varchar
        ) as day_platform_key,
        cast(activity_date as date) as activity_date,
        cast(platform as varchar) as platform,
        cast(dau as bigint) as dau,
        cast(wau as bigint) as wau,
        cast(mau as bigint) as mau,
        cast({{ safe_divide('dau', 'mau') }} as {{ type_double() }}) as dau_mau_stickiness,
        cast({{ safe_divide('wau', 'mau') }} as {{ type_double() }}) as wau_mau_ratio
    from daily
)

select * from final
