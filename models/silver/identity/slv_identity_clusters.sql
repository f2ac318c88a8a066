{#-
    Resolved clusters: the connected components of the identity graph
    (macros/identity/connected_components.sql), one row per source record.
    Records without any edge are clusters of their own. cluster_key is the
    smallest record key of the cluster: stable for the same data.
-#}

with

components as (
    {{ connected_components("select node_a, node_b from " ~ ref('slv_identity_edges')) }}
),

records as (
    select record_key from {{ ref('slv_identity_records') }}
),

record_components as (
    select
        records.record_key,
        coalesce(components.component, records.record_key) as component
    from records
    left join components on records.record_key = components.node
),

clusters as (
    -- the component label may be an e-mail node; key clusters by their smallest record
    select
        component,
        min(record_key) as cluster_key,
        count(*) as cluster_size
    from record_components
    group by component
),

final as (
    select
        record_components.record_key,
        clusters.cluster_key,
        clusters.cluster_size
    from record_components
    inner join clusters on record_components.component = clusters.component
)

select * from final
