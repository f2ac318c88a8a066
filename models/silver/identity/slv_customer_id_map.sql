{#-
    One row per source identifier (CRM customer, loyalty member, web user,
    anonymous device) with the persistent customer360_id of its person, the
    strongest rule that attached it to its cluster and that rule's confidence.

    Persistent ids: on the first build (or with var identity_reset_ids) a
    cluster's id is a hash of its smallest record key, so the same data always
    gives the same ids. On later builds each cluster keeps the previous id most
    of its records had; when clusters merge, the id of the larger part
    survives; when a cluster splits, the part with most of the old records
    keeps the id and the rest get new ones. Clusters that did not change keep
    their ids across deliveries.
-#}
{#- a unit test's context has no `this`: nothing to reuse there -#}
{%- set previous = adapter.get_relation(this.database, this.schema, this.identifier) if execute and this else none -%}
{%- set reuse = previous is not none and not var('identity_reset_ids') -%}

with

records as (
    select
        record_key,
        source_system,
        source_id
    from {{ ref('slv_identity_records') }}
),

clusters as (
    select * from {{ ref('slv_identity_clusters') }}
),

edge_ends as (
    select
        node_a as node,
        match_rule,
        match_confidence,
        rule_priority
    from {{ ref('slv_identity_edges') }}
    union all
    select
        node_b as node,
        match_rule,
        match_confidence,
        rule_priority
    from {{ ref('slv_identity_edges') }}
),

best_edge as (
    select
        node,
        match_rule,
        match_confidence,
        row_number() over (partition by node order by match_confidence desc, rule_priority asc, match_rule asc) as rank_in_node
    from edge_ends
),

{% if reuse %}
previous_ids as (
    select
        source_system || ':' || source_id as record_key,
        customer360_id
    from {{ this }}
),

votes as (
    select
        clusters.cluster_key,
        previous_ids.customer360_id,
        count(*) as records_with_id
    from clusters
    inner join previous_ids on clusters.record_key = previous_ids.record_key
    group by clusters.cluster_key, previous_ids.customer360_id
),

ranked_votes as (
    select
        cluster_key,
        customer360_id,
        row_number() over (partition by cluster_key order by records_with_id desc, customer360_id asc) as rank_in_cluster,
        row_number() over (partition by customer360_id order by records_with_id desc, cluster_key asc) as rank_in_id
    from votes
),

kept_ids as (
    select
        cluster_key,
        customer360_id
    from ranked_votes
    where rank_in_cluster = 1 and rank_in_id = 1
),
{% else %}
kept_ids as (
    select
        cast(null as {{ dbt.type_string() }}) as cluster_key,
        cast(null as {{ dbt.type_string() }}) as customer360_id
    from records
    where 1 = 0
),
{% endif %}

cluster_keys as (
    select distinct cluster_key from clusters
),

minted as (
    select
        cluster_keys.cluster_key,
        kept_ids.customer360_id as kept_id,
        'c360_' || substr({{ dbt.hash('cluster_keys.cluster_key') }}, 1, 16) as minted_id
    from cluster_keys
    left join kept_ids on cluster_keys.cluster_key = kept_ids.cluster_key
),

cluster_ids as (
    select
        minted.cluster_key,
        case
            when minted.kept_id is not null then minted.kept_id
            -- a split part whose natural id is kept by the other part
            when taken.customer360_id is not null
                then 'c360_' || substr({{ dbt.hash("'split:' || minted.cluster_key") }}, 1, 16)
            else minted.minted_id
        end as customer360_id
    from minted
    left join kept_ids as taken
        on minted.minted_id = taken.customer360_id and minted.cluster_key <> taken.cluster_key
),

final as (
    select
        records.source_system,
        records.source_id,
        cluster_ids.customer360_id,
        coalesce(best_edge.match_rule, 'unmatched') as match_rule,
        coalesce(best_edge.match_confidence, 1.0) as match_confidence,
        clusters.cluster_size,
        records.record_key
    from records
    inner join clusters on records.record_key = clusters.record_key
    inner join cluster_ids on clusters.cluster_key = cluster_ids.cluster_key
    left join best_edge on records.record_key = best_edge.node and best_edge.rank_in_node = 1
)

select * from final
