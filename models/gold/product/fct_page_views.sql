{#-
    One row per web page view (event_type page_view of slv_product_events): who (customer360_id), which
    visit (session_id, as in fct_sessions), which page (page_key of dim_page, path and page type), on which
    device and platform, when, and its Core Web Vitals with their ratings (macro web_vital_rating, thresholds
    var web_vitals_thresholds). App screen views carry no page and are not page views here.
-#}

with

page_views as (
    select * from {{ ref('slv_product_events') }}
    where event_type = 'page_view'
),

final as (
    select
        cast(event_id as varchar) as event_id,
        cast(customer360_id as varchar) as customer360_id,
        cast(session_id as varchar) as session_id,
        cast(page_key as varchar) as page_key,
        cast(page_path as varchar) as page_path,
        cast(page_type as varchar) as page_type,
        cast(page_url as varchar) as page_url,
        cast(coalesce(device_type, 'unknown') as varchar) as device_type,
        cast(platform as varchar) as platform,
        cast(event_at as timestamp) as viewed_at,
        cast(event_date as date) as view_date,
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as view_month,
        cast(is_logged_in as boolean) as is_logged_in,
        cast(lcp_ms as integer) as lcp_ms,
        cast(inp_ms as integer) as inp_ms,
        cast(cls as {{ type_double() }}) as cls,
        cast({{ web_vital_rating('lcp_ms', 'lcp_ms') }} as varchar) as lcp_rating,
        cast({{ web_vital_rating('inp_ms', 'inp_ms') }} as varchar) as inp_rating,
        cast({{ web_vital_rating('cls', 'cls') }} as varchar) as cls_rating
    from page_views
)

select * from final
