{#-
    Every tracking event in its current accepted version, up to as_of and
    within the retention window (GEN-03): one row per event_id, typed, with
    every attribute the source sends (web, app, e-mail, push; experiments,
    features, searches, Core Web Vitals). slv_customer_events adds sessions and
    the customer.
-#}

with

events as (
    select
        event_id,
        anonymous_id,
        web_user_id,
        customer_id,
        order_id,
        product_id,
        event_at,
        event_type,
        platform,
        device_type,
        page_url,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        revenue,
        experiment_id,
        variant,
        feature_name,
        search_query,
        lcp_ms,
        cls,
        inp_ms
    from {{ ref('brz_tracking__events') }}
    where
        _is_current
        and {{ within_retention_window('event_at') }}
)

select * from events
