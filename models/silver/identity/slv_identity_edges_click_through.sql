{#-
    Edges of the event rule email_click_through: an e-mail click and the visit
    it opened (same campaign, landing within var identity_click_through_seconds,
    one click to one landing both ways): the clicking CRM customer used that
    device. Confidence, priority and enabled come from the seed identity_match_rules.
-#}

with

events as (
    -- events inside the retention window only (GEN-03): a device seen only longer ago is no longer known
    select * from {{ ref('brz_tracking__events') }}
    where _is_current and {{ within_retention_window('event_at') }}
),

email_clicks as (
    select
        event_id,
        customer_id,
        utm_campaign,
        event_at
    from events
    where event_type = 'email_click' and customer_id is not null and utm_campaign is not null
),

email_landings as (
    select
        event_id,
        anonymous_id,
        utm_campaign,
        event_at
    from events
    where
        event_type = 'page_view'
        and utm_medium = 'email'
        and utm_campaign is not null
        and anonymous_id is not null
),

click_landing_pairs as (
    select
        email_clicks.event_id as click_id,
        email_landings.event_id as landing_id,
        email_clicks.customer_id,
        email_landings.anonymous_id
    from email_clicks
    inner join email_landings
        on
            email_clicks.utm_campaign = email_landings.utm_campaign
            and email_clicks.event_at <= email_landings.event_at
            and email_landings.event_at <= {{ dbt.dateadd('second', var('identity_click_through_seconds'), 'email_clicks.event_at') }}
),

unambiguous_click_landings as (
    -- only a click with exactly one landing that no other click could have opened
    select
        customer_id,
        anonymous_id
    from click_landing_pairs
    where
        click_id in (
            select clicks.click_id
            from click_landing_pairs as clicks
            group by clicks.click_id
            having count(*) = 1
        )
        and landing_id in (
            select landings.landing_id
            from click_landing_pairs as landings
            group by landings.landing_id
            having count(*) = 1
        )
),

final as (
    select distinct
        'anonymous:' || anonymous_id as node_a,
        'crm:' || customer_id as node_b,
        'email_click_through' as match_rule
    from unambiguous_click_landings
)

select * from final
