-- DDA common query 4: cross-campaign customer behaviour.
-- For every pair of campaigns that touched the same customers (ad clicks, e-mail opens and clicks,
-- visits carrying the campaign's utm): how many customers both reached, how many of them placed a
-- completed order after their first touch of both, and the revenue of those orders; next to each
-- campaign's own reach. Answers "which campaigns work together, and which only reach the same people".
-- Vars: min_shared_customers (default 5).

with

touches as (
    select
        customer360_id,
        campaign_id,
        min(touched_at) as first_touched_at
    from {{ ref('fct_touchpoints') }}
    where campaign_id is not null
    group by customer360_id, campaign_id
),

reach as (
    select
        campaign_id,
        count(*) as customers_reached
    from touches
    group by campaign_id
),

pairs as (
    select
        first_campaign.campaign_id as campaign_a,
        second_campaign.campaign_id as campaign_b,
        first_campaign.customer360_id,
        case
            when first_campaign.first_touched_at > second_campaign.first_touched_at
                then first_campaign.first_touched_at
            else second_campaign.first_touched_at
        end as reached_by_both_at
    from touches as first_campaign
    inner join touches as second_campaign
        on
            first_campaign.customer360_id = second_campaign.customer360_id
            and first_campaign.campaign_id < second_campaign.campaign_id
),

orders_after as (
    select
        pairs.campaign_a,
        pairs.campaign_b,
        pairs.customer360_id,
        count(orders.order_id) as orders_after,
        sum(orders.order_value) as revenue_after
    from pairs
    left join {{ ref('fct_orders') }} as orders
        on
            pairs.customer360_id = orders.customer360_id
            and orders.is_completed
            and pairs.reached_by_both_at <= orders.ordered_at
    group by pairs.campaign_a, pairs.campaign_b, pairs.customer360_id
),

pair_stats as (
    select
        campaign_a,
        campaign_b,
        count(*) as shared_customers,
        count(case when orders_after > 0 then 1 end) as converted_customers,
        coalesce(sum(revenue_after), 0) as revenue_after
    from orders_after
    group by campaign_a, campaign_b
)

select
    pair_stats.campaign_a,
    campaign_a.campaign_type as campaign_a_type,
    pair_stats.campaign_b,
    campaign_b.campaign_type as campaign_b_type,
    reach_a.customers_reached as campaign_a_reach,
    reach_b.customers_reached as campaign_b_reach,
    pair_stats.shared_customers,
    round({{ safe_divide('pair_stats.converted_customers', 'pair_stats.shared_customers') }}, 4) as conversion_rate,
    round(pair_stats.revenue_after, 2) as revenue_after_both
from pair_stats
inner join reach as reach_a on pair_stats.campaign_a = reach_a.campaign_id
inner join reach as reach_b on pair_stats.campaign_b = reach_b.campaign_id
left join {{ ref('mart_campaign_performance') }} as campaign_a
    on pair_stats.campaign_a = campaign_a.campaign_id
left join {{ ref('mart_campaign_performance') }} as campaign_b
    on pair_stats.campaign_b = campaign_b.campaign_id
where pair_stats.shared_customers >= {{ var('min_shared_customers') }}
order by pair_stats.shared_customers desc, pair_stats.campaign_a asc, pair_stats.campaign_b asc
