{#-
    One row per web or app visit (sessions of macro sessionize, built in
    slv_customer_events): when, how long, where it landed and from which
    traffic source and marketing channel (macro marketing_channel), what the
    visitor did (page and product views, cart, checkout, purchase) and who
    they were.

    customer360_id: the customer of the session's events; a device that
    identity resolution linked to a web account, a CRM customer (push) or a
    loyalty member belongs to that person, so visits made before the visitor
    identified themselves (and after, without logging in) are stitched to
    them. identity_status: logged_in (the visitor was logged in during the
    session), stitched (not logged in, but the device is known to belong to an
    identified customer), anonymous (a device no rule ties to a person).
-#}

with

events as (
    select * from {{ ref('slv_customer_events') }}
    where session_id is not null
),

campaigns as (
    select
        campaign_id,
        utm_campaign
    from {{ ref('slv_campaigns') }}
    where utm_campaign is not null
),

identified_customers as (
    select distinct customer360_id
    from {{ ref('slv_customer_id_map') }}
    where source_system <> 'anonymous'
),

landings as (
    select
        session_id,
        event_id as landing_event_id,
        page_url as landing_page,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        platform,
        device_type
    from events
    where starts_session
),

session_events as (
    select
        session_id,
        min(anonymous_id) as anonymous_id,
        coalesce(
            min(case when is_logged_in then customer360_id end),
            min(customer360_id)
        ) as customer360_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        count(*) as events_count,
        count(case when event_type in ('page_view', 'screen_view') then 1 end) as page_views,
        count(case when event_type = 'product_view' then 1 end) as product_views,
        count(case when event_type = 'add_to_cart' then 1 end) as add_to_carts,
        count(case when event_type = 'checkout_start' then 1 end) as checkouts,
        count(case when event_type = 'purchase' then 1 end) as purchases,
        max(case when is_logged_in then 1 else 0 end) as logged_in_events,
        min(case when event_type = 'purchase' then order_id end) as order_id,
        sum(case when event_type = 'purchase' then revenue end) as purchase_revenue
    from events
    group by session_id
),

final as (
    select
        cast(session_events.session_id as varchar) as session_id,
        cast(session_events.customer360_id as varchar) as customer360_id,
        cast(session_events.anonymous_id as varchar) as anonymous_id,
        cast(
            case
                when session_events.logged_in_events = 1 then 'logged_in'
                when identified_customers.customer360_id is not null then 'stitched'
                else 'anonymous'
            end as varchar
        ) as identity_status,
        cast(session_events.started_at as timestamp) as started_at,
        cast(session_events.ended_at as timestamp) as ended_at,
        cast(session_events.started_at as date) as session_date,
        cast(
            {{ dbt.datediff('session_events.started_at', 'session_events.ended_at', 'second') }} as integer
        ) as duration_seconds,
        cast(landings.platform as varchar) as platform,
        cast(landings.device_type as varchar) as device_type,
        cast(landings.landing_page as varchar) as landing_page,
        cast(landings.referrer as varchar) as referrer,
        cast(landings.utm_source as varchar) as utm_source,
        cast(landings.utm_medium as varchar) as utm_medium,
        cast(landings.utm_campaign as varchar) as utm_campaign,
        cast(campaigns.campaign_id as varchar) as campaign_id,
        cast(
            {{ marketing_channel('landings.utm_source', 'landings.utm_medium', 'landings.referrer') }} as varchar
        ) as channel,
        cast(session_events.events_count as integer) as events_count,
        cast(session_events.page_views as integer) as page_views,
        cast(session_events.product_views as integer) as product_views,
        cast(session_events.add_to_carts as integer) as add_to_carts,
        cast(session_events.events_count = 1 as boolean) as is_bounce,
        cast(session_events.add_to_carts > 0 as boolean) as has_add_to_cart,
        cast(session_events.checkouts > 0 as boolean) as has_checkout,
        cast(session_events.purchases > 0 as boolean) as is_converted,
        cast(session_events.order_id as varchar) as order_id,
        cast(session_events.purchase_revenue as numeric(18, 2)) as purchase_revenue
    from session_events
    inner join landings on session_events.session_id = landings.session_id
    left join campaigns on landings.utm_campaign = campaigns.utm_campaign
    left join identified_customers on session_events.customer360_id = identified_customers.customer360_id
)

select * from final
