{#-
    Edges of the identity graph, one per matching rule of the seed
    identity_match_rules (priority, confidence, group-size guard and blocked
    values are data, tunable without touching SQL):

      loyalty_crm_link  loyalty member -> the CRM customer it was linked to
      order_named_ids   ids named on the same order (web user, CRM, loyalty)
      email_exact       record -> its e-mail (an e-mail node): records sharing it join
      phone_name        records sharing a phone AND compatible names
      login_device      device (anonymous id) -> the web user it logged in as
      push_device       app device a push message was delivered to -> the CRM customer
      email_click_through  e-mail click -> the visit it opened (same campaign,
                        within seconds, unambiguous both ways) -> the device
      email_typo        same domain, surname, first name and digits; local
                        parts within edit distance 2
      name_dob_postcode same surname, compatible first name, date of birth
                        and postal code: one person registered twice

    Guards: a value on more records than max_group_size (shared family phone,
    info@ address, public device, shared loyalty card) makes no edge at all;
    blocked_pattern values never match. Both ends of every edge exist.
-#}

with

rules as (
    select * from {{ ref('identity_match_rules') }}
    where enabled
),

records as (
    select * from {{ ref('slv_identity_records') }}
),

name_keys as (
    -- a first name and every canonical name it may stand for (Bob -> robert)
    select distinct
        records.first_name_key as name,
        coalesce(nicknames.canonical_first_name, records.first_name_key) as name_key
    from records
    left join {{ ref('first_name_nicknames') }} as nicknames
        on records.first_name_key = nicknames.nickname
    where records.first_name_key is not null
    union
    select distinct
        first_name_key as name,
        first_name_key as name_key
    from records
    where first_name_key is not null
),

compatible_first_names as (
    -- name compatibility, defined once: two first names are compatible when they may stand for the same
    -- canonical name (equal, or nicknames of one name: Bob ~ Robert ~ Rob). Every rule that compares first
    -- names joins its pairs to this list.
    select distinct
        keys_a.name as name_a,
        keys_b.name as name_b
    from name_keys as keys_a
    inner join name_keys as keys_b
        on keys_a.name_key = keys_b.name_key
),

-- explicit: loyalty member linked to a CRM customer ----------------------------
loyalty_crm_link as (
    select
        'loyalty:' || members.loyalty_id as node_a,
        'crm:' || members.customer_id as node_b,
        'loyalty_crm_link' as match_rule
    from {{ ref('brz_loyalty__members') }} as members
    where members._is_current and members.customer_id is not null
),

-- explicit: ids named together on an order ----------------------------------------
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

order_pairs as (
    select distinct
        left_ids.node as node_a,
        right_ids.node as node_b
    from order_ids as left_ids
    inner join order_ids as right_ids
        on left_ids.order_id = right_ids.order_id and left_ids.node < right_ids.node
),

order_partner_counts as (
    -- an id named with many different ids of one system is shared (a store card, a family account)
    select
        node,
        {{ dbt.split_part('partner', "':'", 1) }} as partner_system,
        count(distinct partner) as partners
    from (
        select
            node_a as node,
            node_b as partner
        from order_pairs
        union all
        select
            node_b as node,
            node_a as partner
        from order_pairs
    ) as both_directions
    group by node, {{ dbt.split_part('partner', "':'", 1) }}
),

order_shared_nodes as (
    select distinct order_partner_counts.node
    from order_partner_counts
    cross join rules
    where rules.match_rule = 'order_named_ids' and order_partner_counts.partners > rules.max_group_size
),

order_named_ids as (
    select
        order_pairs.node_a,
        order_pairs.node_b,
        'order_named_ids' as match_rule
    from order_pairs
    where
        order_pairs.node_a not in (select order_shared_nodes.node from order_shared_nodes)
        and order_pairs.node_b not in (select order_shared_nodes.node from order_shared_nodes)
),

-- exact e-mail: record -> e-mail node ------------------------------------------------
email_groups as (
    select
        email,
        count(*) as group_size
    from records
    where email is not null
    group by email
),

email_exact as (
    select
        records.record_key as node_a,
        'email:' || records.email as node_b,
        'email_exact' as match_rule
    from records
    inner join email_groups on records.email = email_groups.email
    inner join rules on rules.match_rule = 'email_exact'
    where
        email_groups.group_size <= coalesce(rules.max_group_size, email_groups.group_size)
        and (rules.blocked_pattern is null or not {{ regex_match_expr('records.email', 'rules.blocked_pattern') }})
),

-- exact phone with compatible names: record pairs -------------------------------------
phone_records as (
    select
        records.record_key,
        records.phone_e164,
        records.first_name_key,
        records.last_name_key,
        records.date_of_birth,
        count(*) over (partition by records.phone_e164) as group_size
    from records
    inner join rules on rules.match_rule = 'phone_name'
    where
        records.phone_e164 is not null
        and (rules.blocked_pattern is null or not {{ regex_match_expr('records.phone_e164', 'rules.blocked_pattern') }})
),

phone_pairs as (
    select
        left_records.record_key as node_a,
        right_records.record_key as node_b,
        left_records.first_name_key as first_a,
        right_records.first_name_key as first_b
    from phone_records as left_records
    inner join phone_records as right_records
        on
            left_records.phone_e164 = right_records.phone_e164
            and left_records.record_key < right_records.record_key
    inner join rules on rules.match_rule = 'phone_name'
    where
        left_records.group_size <= coalesce(rules.max_group_size, left_records.group_size)
        and coalesce(left_records.last_name_key = right_records.last_name_key, true)
        and not coalesce(left_records.date_of_birth <> right_records.date_of_birth, false)
        -- at least one name known on both sides, and the surname agrees when both have one
        and (
            (left_records.last_name_key is not null and right_records.last_name_key is not null)
            or (left_records.first_name_key is not null and right_records.first_name_key is not null)
        )
),

phone_name_matches as (
    -- first names compatible (same, or a nickname of the same name) ...
    select
        phone_pairs.node_a,
        phone_pairs.node_b
    from phone_pairs
    inner join compatible_first_names
        on
            phone_pairs.first_a = compatible_first_names.name_a
            and phone_pairs.first_b = compatible_first_names.name_b
    union
    -- ... or one side has no first name and the surnames agree
    select
        node_a,
        node_b
    from phone_pairs
    where (first_a is null or first_b is null)
),

phone_name as (
    select distinct
        node_a,
        node_b,
        'phone_name' as match_rule
    from phone_name_matches
),

-- device logged in as a web user -------------------------------------------------------
device_logins as (
    select distinct
        anonymous_id,
        web_user_id
    from {{ ref('brz_tracking__events') }}
    where _is_current and anonymous_id is not null and web_user_id is not null
),

device_user_counts as (
    select
        anonymous_id,
        count(*) as users
    from device_logins
    group by anonymous_id
),

login_device as (
    select
        'anonymous:' || device_logins.anonymous_id as node_a,
        'ecom:' || device_logins.web_user_id as node_b,
        'login_device' as match_rule
    from device_logins
    inner join device_user_counts on device_logins.anonymous_id = device_user_counts.anonymous_id
    inner join rules on rules.match_rule = 'login_device'
    where device_user_counts.users <= coalesce(rules.max_group_size, device_user_counts.users)
),

-- push messages: the app device they were delivered to ------------------------------------
push_devices as (
    select distinct
        customer_id,
        anonymous_id
    from {{ ref('brz_tracking__events') }}
    where
        _is_current
        and event_type in ('push_sent', 'push_open')
        and customer_id is not null
        and anonymous_id is not null
),

push_device_counts as (
    select
        anonymous_id,
        count(*) as customers
    from push_devices
    group by anonymous_id
),

push_device as (
    select
        'anonymous:' || push_devices.anonymous_id as node_a,
        'crm:' || push_devices.customer_id as node_b,
        'push_device' as match_rule
    from push_devices
    inner join push_device_counts on push_devices.anonymous_id = push_device_counts.anonymous_id
    inner join rules on rules.match_rule = 'push_device'
    where push_device_counts.customers <= coalesce(rules.max_group_size, push_device_counts.customers)
),

-- e-mail click-through: the click and the visit it opened ---------------------------------
email_clicks as (
    select
        event_id,
        customer_id,
        utm_campaign,
        event_at
    from {{ ref('brz_tracking__events') }}
    where _is_current and event_type = 'email_click' and customer_id is not null and utm_campaign is not null
),

email_landings as (
    select
        event_id,
        anonymous_id,
        utm_campaign,
        event_at
    from {{ ref('brz_tracking__events') }}
    where
        _is_current
        and event_type = 'page_view'
        and utm_medium = 'email'
        and utm_campaign is not null
        and anonymous_id is not null
),

click_landing_pairs as (
    select
        email_clicks.event_id as click_id,
        email_landings.event_id as landing_id,
        email_clicks.customer_id,
        email_landings.anonymous_id
    from email_clicks
    inner join email_landings
        on
            email_clicks.utm_campaign = email_landings.utm_campaign
            and email_clicks.event_at <= email_landings.event_at
            and email_landings.event_at <= {{ dbt.dateadd('second', var('identity_click_through_seconds'), 'email_clicks.event_at') }}
),

unambiguous_click_landings as (
    -- only a click with exactly one landing that no other click could have opened
    select
        customer_id,
        anonymous_id
    from click_landing_pairs
    where
        click_id in (
            select clicks.click_id
            from click_landing_pairs as clicks
            group by clicks.click_id
            having count(*) = 1
        )
        and landing_id in (
            select landings.landing_id
            from click_landing_pairs as landings
            group by landings.landing_id
            having count(*) = 1
        )
),

email_click_through as (
    select distinct
        'anonymous:' || anonymous_id as node_a,
        'crm:' || customer_id as node_b,
        'email_click_through' as match_rule
    from unambiguous_click_landings
),

-- typo'd e-mails ------------------------------------------------------------------------
typo_candidates as (
    -- blocked on domain, first letter and digits of the local part, so few pairs are compared
    select
        left_records.record_key as node_a,
        right_records.record_key as node_b,
        left_records.first_name_key as first_a,
        right_records.first_name_key as first_b
    from records as left_records
    inner join records as right_records
        on
            left_records.email_domain = right_records.email_domain
            and left_records.email_local_digits = right_records.email_local_digits
            and substr(left_records.email_local, 1, 1) = substr(right_records.email_local, 1, 1)
            and left_records.record_key < right_records.record_key
    inner join rules on rules.match_rule = 'email_typo'
    where
        left_records.email <> right_records.email
        and abs(length(left_records.email_local) - length(right_records.email_local)) <= 1
        and coalesce(left_records.last_name_key = right_records.last_name_key, true)
        and (
            (left_records.last_name_key is not null and right_records.last_name_key is not null)
            or (left_records.first_name_key is not null and right_records.first_name_key is not null)
        )
        and not coalesce(left_records.date_of_birth <> right_records.date_of_birth, false)
        and not coalesce(left_records.phone_e164 <> right_records.phone_e164, false)
        -- one edit (a letter wrong, missing or extra), or two letters swapped (same letters, distance 2):
        -- alexander / alexandra (distance 2, other letters) are different people
        and (
            {{ edit_distance('left_records.email_local', 'right_records.email_local') }} = 1
            or (
                length(left_records.email_local) = length(right_records.email_local)
                and {{ edit_distance('left_records.email_local', 'right_records.email_local') }} = 2
                and {{ char_signature('left_records.email_local') }} = {{ char_signature('right_records.email_local') }}
            )
        )
),

email_typo as (
    select distinct
        typo_candidates.node_a,
        typo_candidates.node_b,
        'email_typo' as match_rule
    from typo_candidates
    inner join compatible_first_names
        on
            typo_candidates.first_a = compatible_first_names.name_a
            and typo_candidates.first_b = compatible_first_names.name_b
    union
    select distinct
        node_a,
        node_b,
        'email_typo' as match_rule
    from typo_candidates
    where first_a is null or first_b is null
),

-- the same person registered twice: name, date of birth and postal code -------------------
person_key_records as (
    select
        records.record_key,
        records.first_name_key,
        records.last_name_key,
        records.date_of_birth,
        records.postal_code_key,
        count(*) over (
            partition by records.last_name_key, records.date_of_birth, records.postal_code_key
        ) as group_size
    from records
    where
        records.last_name_key is not null
        and records.date_of_birth is not null
        and records.postal_code_key is not null
),

person_key_pairs as (
    select
        left_records.record_key as node_a,
        right_records.record_key as node_b,
        left_records.first_name_key as first_a,
        right_records.first_name_key as first_b
    from person_key_records as left_records
    inner join person_key_records as right_records
        on
            left_records.last_name_key = right_records.last_name_key
            and left_records.date_of_birth = right_records.date_of_birth
            and left_records.postal_code_key = right_records.postal_code_key
            and left_records.record_key < right_records.record_key
    inner join rules on rules.match_rule = 'name_dob_postcode'
    where left_records.group_size <= coalesce(rules.max_group_size, left_records.group_size)
),

name_dob_postcode as (
    -- first names must be known and compatible: twins share everything else
    select distinct
        person_key_pairs.node_a,
        person_key_pairs.node_b,
        'name_dob_postcode' as match_rule
    from person_key_pairs
    inner join compatible_first_names
        on
            person_key_pairs.first_a = compatible_first_names.name_a
            and person_key_pairs.first_b = compatible_first_names.name_b
),

-- all edges, both ends known ----------------------------------------------------------------
unioned as (
    select * from loyalty_crm_link
    union all
    select * from order_named_ids
    union all
    select * from email_exact
    union all
    select * from phone_name
    union all
    select * from login_device
    union all
    select * from email_typo
    union all
    select * from push_device
    union all
    select * from email_click_through
    union all
    select * from name_dob_postcode
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
