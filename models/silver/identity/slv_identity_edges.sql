{#-
    Edges of the identity graph: the union of the rule kinds, each rule a row of
    the seed identity_match_rules (priority, confidence, group-size guard,
    blocked values and enabled are data, tunable without touching SQL):

      slv_identity_edges_linked_ids       loyalty_crm_link, order_named_ids,
                                          login_device, push_device
      slv_identity_edges_shared_attribute email_exact, phone_name, email_typo,
                                          name_dob_postcode
      slv_identity_edges_click_through    email_click_through

    Only enabled rules give edges, with the rule's priority and confidence.
    Both ends of every edge exist (a record, or the e-mail node of email_exact).
-#}

with

rules as (
    select * from {{ ref('identity_match_rules') }}
    where enabled
),

records as (
    select * from {{ ref('slv_identity_records') }}
),

unioned as (
    select * from {{ ref('slv_identity_edges_linked_ids') }}
    union all
    select * from {{ ref('slv_identity_edges_shared_attribute') }}
    union all
    select * from {{ ref('slv_identity_edges_click_through') }}
),

known_nodes as (
    select record_key as node
    from records
    union all
    select distinct 'email:' || email as node
    from records
    where email is not null
),

final as (
    select
        unioned.node_a,
        unioned.node_b,
        unioned.match_rule,
        rules.priority as rule_priority,
        rules.confidence as match_confidence
    from unioned
    inner join rules on unioned.match_rule = rules.match_rule
    inner join known_nodes as known_a on unioned.node_a = known_a.node
    inner join known_nodes as known_b on unioned.node_b = known_b.node
)

select * from final
