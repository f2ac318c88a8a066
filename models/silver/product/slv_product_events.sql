{#-
    Every web and app visit event of a resolved customer (slv_customer_events rows with a session: what the
    visitor did on the site or in the app, not the messages sent to them), with the product-analytics
    attributes slv_events carries: the page (page_url, its path and page type, macros page_path and
    page_type; page_key = surrogate key of the path, the key of dim_page), Core Web Vitals (lcp_ms, inp_ms, cls, page views), the feature of a feature_used event and
    the query of a search (search_query_normalized: lower case, inner blanks collapsed, trimmed).
    One row per event_id; the customer, channel (web / app) and session are slv_customer_events'.
-#}

with

visit_events as (
    select
        event_id,
        customer360_id,
        session_id,
        anonymous_id,
        event_at,
        event_date,
        event_type,
        platform,
        channel,
        device_type,
        is_logged_in,
        page_url,
        product_id,
        order_id
    from {{ ref('slv_customer_events') }}
    where session_id is not null
),

event_attributes as (
    select
        event_id,
        feature_name,
        search_query,
        lcp_ms,
        inp_ms,
        cls
    from {{ ref('slv_events') }}
),

joined as (
    select
        visit_events.*,
        {{ page_path('visit_events.page_url') }} as page_path,
        event_attributes.feature_name,
        event_attributes.search_query,
        event_attributes.lcp_ms,
        event_attributes.inp_ms,
        event_attributes.cls
    from visit_events
    inner join event_attributes on visit_events.event_id = event_attributes.event_id
),

final as (
    select
        event_id,
        customer360_id,
        session_id,
        anonymous_id,
        event_at,
        event_date,
        event_type,
        platform,
        channel,
        device_type,
        is_logged_in,
        page_url,
        page_path,
        case when page_path is not null then {{ dbt_utils.generate_surrogate_key(['page_path']) }} end as page_key,
        {{ page_type('page_path') }} as page_type,
        product_id,
        order_id,
        feature_name,
        search_query,
        nullif(trim({{ regex_replace_all('lower(search_query)', '[[:space:]]+', ' ') }}), '') as search_query_normalized,
        lcp_ms,
        inp_ms,
        cls
    from joined
)

select * from final
