{#-
    Connected components must have converged: every edge of the identity graph
    joins two records of the same cluster (record-record edges), and all records
    attached to one e-mail node sit in one cluster. A failure means
    var identity_max_iterations is too small for the widest cluster.
-#}
{{ config(severity='error', meta={'dda_rule': 'CUS-01'}) }}

with

clusters as (
    select * from {{ ref('slv_identity_clusters') }}
),

edges as (
    select * from {{ ref('slv_identity_edges') }}
),

record_edges_split as (
    select
        edges.node_a,
        edges.node_b,
        edges.match_rule
    from edges
    inner join clusters as cluster_a on edges.node_a = cluster_a.record_key
    inner join clusters as cluster_b on edges.node_b = cluster_b.record_key
    where cluster_a.cluster_key <> cluster_b.cluster_key
),

email_nodes_split as (
    select
        edges.node_b as node_a,
        cast(count(distinct clusters.cluster_key) as {{ dbt.type_string() }}) as node_b,
        'email_exact' as match_rule
    from edges
    inner join clusters on edges.node_a = clusters.record_key
    where edges.node_b like 'email:%'
    group by edges.node_b
    having count(distinct clusters.cluster_key) > 1
),

final as (
    select * from record_edges_split
    union all
    select * from email_nodes_split
)

select * from final
