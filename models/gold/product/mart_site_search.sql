{#-
    Site search per query (search_query_normalized of slv_product_events: lower case, blanks collapsed;
    web and app searches): how often it was searched, by how many users and in how many visits, and what
    followed within the same session (macro sessionize): a product view after the search, then a purchase
    after that product view (search -> product view -> purchase). "After" = a later event_at, or the same
    event_at and a greater event_id (the tiebreak of sessionize). A search with no product view after it in
    its session has no follow-up. query_rank: 1 = most searched (ties by query).
-#}

with

visit_events as (
    select
        event_id,
        session_id,
        customer360_id,
        event_at,
        event_type,
        search_query_normalized
    from {{ ref('slv_product_events') }}
    where event_type in ('search', 'product_view', 'purchase')
),

searches as (
    select * from visit_events
    where event_type = 'search' and search_query_normalized is not null
),

product_views_after as (
    select
        searches.event_id as search_event_id,
        product_views.event_id as product_view_event_id,
        product_views.event_at as product_viewed_at,
        row_number() over (
            partition by searches.event_id order by product_views.event_at, product_views.event_id
        ) as product_view_number
    from searches
    inner join visit_events as product_views
        on searches.session_id = product_views.session_id
            and product_views.event_type = 'product_view'
            and (
                searches.event_at < product_views.event_at
                or (searches.event_at = product_views.event_at and searches.event_id < product_views.event_id)
            )
),

first_product_views as (
    select * from product_views_after
    where product_view_number = 1
),

search_outcomes as (
    select
        searches.event_id,
        searches.session_id,
        searches.customer360_id,
        searches.event_at,
        searches.search_query_normalized,
        first_product_views.product_view_event_id is not null as has_product_view,
        count(purchases.event_id) > 0 as has_purchase
    from searches
    left join first_product_views on searches.event_id = first_product_views.search_event_id
    left join visit_events as purchases
        on searches.session_id = purchases.session_id
            and purchases.event_type = 'purchase'
            and (
                first_product_views.product_viewed_at < purchases.event_at
                or (
                    first_product_views.product_viewed_at = purchases.event_at
                    and first_product_views.product_view_event_id < purchases.event_id
                )
            )
    group by
        searches.event_id,
        searches.session_id,
        searches.customer360_id,
        searches.event_at,
        searches.search_query_normalized,
        first_product_views.product_view_event_id
),

per_query as (
    select
        search_query_normalized as search_query,
        count(*) as searches,
        count(distinct customer360_id) as searchers,
        count(distinct session_id) as search_sessions,
        count(case when has_product_view then 1 end) as searches_with_product_view,
        count(case when has_purchase then 1 end) as searches_with_purchase,
        count(case when not has_product_view then 1 end) as searches_without_follow_up,
        min(event_at) as first_searched_at,
        max(event_at) as last_searched_at
    from search_outcomes
    group by search_query_normalized
),

final as (
    select
        cast(search_query as varchar) as search_query,
        cast(row_number() over (order by searches desc, search_query asc) as integer) as query_rank,
        cast(searches as bigint) as searches,
        cast(searchers as bigint) as searchers,
        cast(search_sessions as bigint) as search_sessions,
        cast(searches_with_product_view as bigint) as searches_with_product_view,
        cast(searches_with_purchase as bigint) as searches_with_purchase,
        cast(searches_without_follow_up as bigint) as searches_without_follow_up,
        cast({{ safe_divide('searches_with_product_view', 'searches') }} as {{ type_double() }})
            as product_view_rate,
        cast({{ safe_divide('searches_with_purchase', 'searches') }} as {{ type_double() }}) as purchase_rate,
        cast({{ safe_divide('searches_without_follow_up', 'searches') }} as {{ type_double() }})
            as no_follow_up_share,
        cast(first_searched_at as timestamp) as first_searched_at,
        cast(last_searched_at as timestamp) as last_searched_at
    from per_query
)

select * from final
