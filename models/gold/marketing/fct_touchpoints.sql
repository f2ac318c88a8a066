{#-
    Every marketing touch a customer had, one row each (grain: touchpoint):
      visit       a web or app session not from a paid campaign (its channel:
                  Email, Organic Search, Referral, Direct, ...)
      paid_click  a session landing from a paid campaign (Paid Search, Paid
                  Social, Display): the ad click
      email_open, email_click   e-mail engagement (channel Email)
      push_open   a push notification opened (channel Push)
    Channel from the one taxonomy (macro marketing_channel); campaign from the
    utm_campaign the touch carried. An e-mail click and the visit it opens are
    two touches (the click, then the visit it started). Messages sent
    (email_sent, push_sent) are the business acting, not a touch.
-#}
{#- Postgres serving (issue 13): indexes for the DDA access patterns and the customer lookup. Postgres only:
    dbt-duckdb would create them too, and its drop-and-rename of an indexed table races with other threads. -#}
{%- if target.type == 'postgres' %}{{ config(indexes=[{'columns': ['customer360_id']}, {'columns': ['campaign_id']}]) }}{% endif %}

with

sessions as (
    select * from {{ ref('fct_sessions') }}
),

messages as (
    select * from {{ ref('slv_customer_events') }}
    where event_type in ('email_open', 'email_click', 'push_open')
),

campaigns as (
    select
        campaign_id,
        utm_campaign
    from {{ ref('slv_campaigns') }}
    where utm_campaign is not null
),

paid_channels as (
    {{ literal_rows([{'channel': 'Paid Search'}, {'channel': 'Paid Social'}, {'channel': 'Display'}]) }}
),

session_touches as (
    select
        'session:' || sessions.session_id as touchpoint_id,
        sessions.customer360_id,
        sessions.started_at as touched_at,
        case when paid_channels.channel is not null then 'paid_click' else 'visit' end as touchpoint_type,
        sessions.channel,
        sessions.campaign_id,
        sessions.utm_campaign,
        sessions.session_id,
        cast(null as varchar) as event_id
    from sessions
    left join paid_channels on sessions.channel = paid_channels.channel
),

message_touches as (
    select
        'event:' || messages.event_id as touchpoint_id,
        messages.customer360_id,
        messages.event_at as touched_at,
        messages.event_type as touchpoint_type,
        case when messages.event_type = 'push_open' then 'Push' else 'Email' end as channel,
        campaigns.campaign_id,
        messages.utm_campaign,
        cast(null as varchar) as session_id,
        messages.event_id
    from messages
    left join campaigns on messages.utm_campaign = campaigns.utm_campaign
),

touches as (
    select * from session_touches
    union all
    select * from message_touches
),

final as (
    select
        cast(touchpoint_id as varchar) as touchpoint_id,
        cast(customer360_id as varchar) as customer360_id,
        cast(touched_at as timestamp) as touched_at,
        cast(touched_at as date) as touch_date,
        cast(touchpoint_type as varchar) as touchpoint_type,
        cast(channel as varchar) as channel,
        cast(campaign_id as varchar) as campaign_id,
        cast(utm_campaign as varchar) as utm_campaign,
        cast(session_id as varchar) as session_id,
        cast(event_id as varchar) as event_id
    from touches
)

select * from final
