{#-
    Edges of the linked-id rules: a system names two ids together. One links
    CTE per rule (match_rule, node_a, node_b); priority, confidence,
    max_group_size and enabled come from the seed identity_match_rules.

      loyalty_crm_link  loyalty member -> the CRM customer it was linked to
      order_named_ids   ids named on the same order (web user, CRM, loyalty)
      login_device      device (anonymous id) -> the web user it logged in as
      push_device       app device a push message was delivered to -> the CRM customer

    Guard: an id linked to more than max_group_size ids of one system (a
    public device, a store loyalty card) is shared and makes no edge. It
    guards node_a; the rules in guard_both_ends guard node_b too.
-#}

{%- set guard_both_ends = ['order_named_ids'] -%}

with

rules as (
    select * from {{ ref('identity_match_rules') }}
    where enabled
),

events as (
    -- events inside the retention window only (GEN-03): a device seen only longer ago is no longer known
    select * from {{ ref('brz_tracking__events') }}
    where _is_current and {{ within_retention_window('event_at') }}
),

loyalty_crm_link as (
    select
        'loyalty_crm_link' as match_rule,
        'loyalty:' || loyalty_id as node_a,
        'crm:' || customer_id as node_b
    from {{ ref('brz_loyalty__members') }}
    where _is_current and customer_id is not null
),

order_ids as (
    {%- for system, column in [('ecom', 'web_user_id'), ('crm', 'customer_id'), ('loyalty', 'loyalty_id')] %}
    select
        order_id,
        '{{ system }}:' || {{ column }} as node
    from {{ ref('brz_oms__orders') }}
    where _is_current and {{ column }} is not null
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
),

order_named_ids as (
    select distinct
        'order_named_ids' as match_rule,
        left_ids.node as node_a,
        right_ids.node as node_b
    from order_ids as left_ids
    inner join order_ids as right_ids
        on left_ids.order_id = right_ids.order_id and left_ids.node < right_ids.node
),

login_device as (
    select distinct
        'login_device' as match_rule,
        'anonymous:' || anonymous_id as node_a,
        'ecom:' || web_user_id as node_b
    from events
    where anonymous_id is not null and web_user_id is not null
),

push_device as (
    select distinct
        'push_device' as match_rule,
        'anonymous:' || anonymous_id as node_a,
        'crm:' || customer_id as node_b
    from events
    where event_type in ('push_sent', 'push_open') and customer_id is not null and anonymous_id is not null
),

links as (
    select * from loyalty_crm_link
    union all
    select * from order_named_ids
    union all
    select * from login_device
    union all
    select * from push_device
),

guarded_ends as (
    select
        match_rule,
        node_a as node,
        node_b as partner
    from links
    union all
    select
        match_rule,
        node_b as node,
        node_a as partner
    from links
    where match_rule in ({{ sql_string_list(guard_both_ends) }})
),

partner_counts as (
    select
        match_rule,
        node,
        {{ dbt.split_part('partner', "':'", 1) }} as partner_system,
        count(distinct partner) as partners
    from guarded_ends
    group by match_rule, node, {{ dbt.split_part('partner', "':'", 1) }}
),

shared_nodes as (
    select distinct
        partner_counts.match_rule,
        partner_counts.node
    from partner_counts
    inner join rules on partner_counts.match_rule = rules.match_rule
    where partner_counts.partners > rules.max_group_size
),

final as (
    select
        links.node_a,
        links.node_b,
        links.match_rule
    from links
    left join shared_nodes as shared_a
        on links.match_rule = shared_a.match_rule and links.node_a = shared_a.node
    left join shared_nodes as shared_b
        on
            links.match_rule = shared_b.match_rule
            and links.node_b = shared_b.node
            and links.match_rule in ({{ sql_string_list(guard_both_ends) }})
    where shared_a.node is null and shared_b.node is null
)

select * from final
