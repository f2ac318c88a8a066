-- Site search (mart_site_search): the top 10 queries with their funnel (search -> product view -> purchase in the
-- same session) and the overall share of searches with no follow-up.
with

queries as (
    select * from {{ ref('mart_site_search') }}
),

overall as (
    select
        sum(searches) as all_searches,
        {{ safe_divide('sum(searches_without_follow_up)', 'sum(searches)') }} as overall_no_follow_up_share
    from queries
)

select
    queries.query_rank,
    queries.search_query,
    queries.searches,
    queries.searchers,
    queries.product_view_rate,
    queries.purchase_rate,
    queries.no_follow_up_share,
    {{ safe_divide('queries.searches', 'overall.all_searches') }} as share_of_searches,
    overall.overall_no_follow_up_share
from queries
cross join overall
where queries.query_rank <= 10
order by queries.query_rank
