{#-
    Connected components of an undirected graph in portable SQL.

    edges_sql: a select with columns node_a, node_b (text). Returns a select of
    (node, component) where component is the smallest node of the node's
    component. Each round takes the smallest label among a node and its
    neighbours, then jumps pointers (a node takes its label's label), so a
    path of length d converges in about log2(d) + 2 rounds; every round is one
    join over the edges, so the work is linear in edges x rounds.
    `iterations` must cover the largest component's diameter: the model's
    test `identity_components_converged` fails if it does not.
-#}
{% macro connected_components(edges_sql, iterations=none) -%}
    {%- set iterations = iterations or var('identity_max_iterations') -%}
    with

    cc_input as (
        {{ edges_sql }}
    ),

    cc_edges as (
        select node_a as src, node_b as dst from cc_input
        union
        select node_b as src, node_a as dst from cc_input
        union
        select node_a as src, node_a as dst from cc_input
        union
        select node_b as src, node_b as dst from cc_input
    ),

    cc_labels_0 as (
        select src as node, min(dst) as label
        from cc_edges
        group by src
    ),

    {%- for i in range(1, iterations + 1) %}

    cc_spread_{{ i }} as (
        select
            cc_edges.src as node,
            min(cc_labels_{{ i - 1 }}.label) as label
        from cc_edges
        inner join cc_labels_{{ i - 1 }}
            on cc_edges.dst = cc_labels_{{ i - 1 }}.node
        group by cc_edges.src
    ),

    cc_labels_{{ i }} as (
        select
            spread.node,
            case when jump.label < spread.label then jump.label else spread.label end as label
        from cc_spread_{{ i }} as spread
        inner join cc_spread_{{ i }} as jump
            on spread.label = jump.node
    ),
    {%- endfor %}

    cc_final as (
        select
            node,
            label as component
        from cc_labels_{{ iterations }}
    )

    select * from cc_final
{%- endmacro %}
