{#-
    One row per page path seen in a web page view (slv_product_events, event_type page_view): its key, path,
    page type (macro page_type), when it was first and last viewed, how many views and distinct visitors it had
    up to as_of. fct_page_views.page_key references it.
-#}

with

page_views as (
    select
        page_key,
        page_path,
        page_type,
        event_at,
        customer360_id
    from {{ ref('slv_product_events') }}
    where event_type = 'page_view' and page_key is not null
),

final as (
    select
        cast(page_key as varchar) as page_key,
        cast(page_path as varchar) as page_path,
        cast(min(page_type) as varchar) as page_type,
        cast(min(event_at) as timestamp) as first_viewed_at,
        cast(max(event_at) as timestamp) as last_viewed_at,
        cast(count(*) as bigint) as page_views,
        cast(count(distinct customer360_id) as bigint) as visitors
    from page_views
    group by page_key, page_path
)

select * from final
