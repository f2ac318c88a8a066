{#-
    Next best action, grain customer x action: for every served customer
    (slv_customer_action_profiles) the actions of the rules seed
    next_best_action_rules whose segment, lifecycle stage and health band
    match the customer and whose channel the customer may be contacted on,
    ranked 1..n by expected value.

    Eligibility: a rule matches when each of segment (primary_segment),
    lifecycle_stage and health_band is `*` or lists the customer's value
    (`|`-separated), AND the customer is contactable on the rule's channel
    (slv_customer_channels.is_contactable: a current opt-in for the consent
    scope that opens the channel, var marketing_consent_channels, and a way to
    reach them: the same rule as the audiences, GEN-04). A cross-sell rule
    also needs a cross-sell candidate (below). When several rules of one
    action match, the action goes out on the channel of the rule with the
    lowest base_priority (then email, sms, push).

    Value, documented per column:
      propensity    propensity_basis propensity_to_buy -> propensity_to_buy_score,
                    churn_risk -> churn_risk_score (the customer we may lose)
      action_value  value_basis order_value -> expected order value
                    (the customer's average completed order, else the average
                    of all completed orders); cross_sell -> expected order
                    value x lift of the best cross-sell pair: the partner
                    product, not yet bought, of a product the customer bought,
                    with the highest lift > 1 among pairs seen together in at
                    least var nba_cross_sell_min_orders_together orders
      expected_value = propensity x action_value
    Rank: expected_value desc, then base_priority, then action.
-#}

with

rules as (
    select
        rule_id,
        action,
        segment,
        lifecycle_stage,
        health_band,
        channel,
        base_priority,
        propensity_basis,
        value_basis,
        -- lists framed by '|' so that a code matches whole entries only
        '|' || segment || '|' as segment_list,
        '|' || lifecycle_stage || '|' as lifecycle_stage_list,
        '|' || health_band || '|' as health_band_list
    from {{ ref('next_best_action_rules') }}
),

profiles as (
    select
        *,
        '|' || primary_segment || '|' as segment_entry,
        '|' || lifecycle_stage || '|' as lifecycle_stage_entry,
        '|' || health_band || '|' as health_band_entry
    from {{ ref('slv_customer_action_profiles') }}
),

channels as (
    select
        customer360_id,
        channel,
        scope,
        evidence_consent_id,
        status_captured_at,
        channel_priority
    from {{ ref('slv_customer_channels') }}
    where is_contactable
),

purchased as (
    select distinct
        customer360_id,
        product_id
    from {{ ref('slv_product_order_lines') }}
    where order_status = 'completed'
),

pairs as (
    select
        product_id,
        cross_sell_product_id,
        lift,
        confidence
    from {{ ref('mart_product_cross_sell') }}
    where lift > 1 and orders_together >= {{ var('nba_cross_sell_min_orders_together') }}
),

cross_sell_candidates as (
    select
        purchased.customer360_id,
        pairs.cross_sell_product_id,
        pairs.lift,
        row_number() over (
            partition by purchased.customer360_id
            order by pairs.lift desc, pairs.confidence desc, pairs.cross_sell_product_id asc
        ) as candidate_rank
    from purchased
    inner join pairs on purchased.product_id = pairs.product_id
    left join purchased as owned
        on
            purchased.customer360_id = owned.customer360_id
            and pairs.cross_sell_product_id = owned.product_id
    where owned.product_id is null
),

best_cross_sell as (
    select
        customer360_id,
        cross_sell_product_id,
        lift
    from cross_sell_candidates
    where candidate_rank = 1
),

matched as (
    select
        profiles.customer360_id,
        profiles.primary_segment,
        profiles.lifecycle_stage,
        profiles.health_band,
        profiles.propensity_to_buy,
        profiles.churn_risk,
        profiles.expected_order_value,
        rules.rule_id,
        rules.action,
        rules.channel,
        rules.base_priority,
        rules.propensity_basis,
        rules.value_basis,
        channels.scope as consent_scope,
        channels.evidence_consent_id,
        channels.status_captured_at,
        channels.channel_priority
    from profiles
    inner join rules
        on
            (rules.segment = '*' or {{ dbt.position('profiles.segment_entry', 'rules.segment_list') }} > 0)
            and (
                rules.lifecycle_stage = '*'
                or {{ dbt.position('profiles.lifecycle_stage_entry', 'rules.lifecycle_stage_list') }} > 0
            )
            and (
                rules.health_band = '*'
                or {{ dbt.position('profiles.health_band_entry', 'rules.health_band_list') }} > 0
            )
    inner join channels
        on profiles.customer360_id = channels.customer360_id and rules.channel = channels.channel
),

valued as (
    select
        matched.*,
        best_cross_sell.cross_sell_product_id,
        cast(best_cross_sell.lift as numeric(18, 4)) as cross_sell_lift,
        cast(
            case matched.propensity_basis
                when 'churn_risk' then matched.churn_risk
                else matched.propensity_to_buy
            end as numeric(5, 4)
        ) as propensity,
        cast(
            case matched.value_basis
                when 'cross_sell' then cast(matched.expected_order_value as numeric(18, 2)) * best_cross_sell.lift
                else cast(matched.expected_order_value as numeric(18, 2))
            end as numeric(18, 2)
        ) as action_value
    from matched
    left join best_cross_sell
        on
            matched.customer360_id = best_cross_sell.customer360_id
            and matched.value_basis = 'cross_sell'
    where matched.value_basis <> 'cross_sell' or best_cross_sell.customer360_id is not null
),

one_channel_per_action as (
    select
        *,
        cast(propensity * action_value as numeric(18, 4)) as expected_value,
        row_number() over (
            partition by customer360_id, action order by base_priority asc, channel_priority asc, rule_id asc
        ) as channel_rank
    from valued
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer360_id order by expected_value desc, base_priority asc, action asc
        ) as action_rank
    from one_channel_per_action
    where channel_rank = 1
),

final as (
    select
        cast({{ dbt.concat(['customer360_id', "':'", 'action']) }} as varchar) as customer_action_key,
        cast(customer360_id as varchar) as customer360_id,
        cast(action_rank as integer) as action_rank,
        cast(action as varchar) as action,
        cast(rule_id as varchar) as rule_id,
        cast(channel as varchar) as channel,
        cast(consent_scope as varchar) as consent_scope,
        cast(evidence_consent_id as varchar) as consent_evidence_id,
        cast(status_captured_at as timestamp) as opted_in_at,
        cast(primary_segment as varchar) as primary_segment,
        cast(lifecycle_stage as varchar) as lifecycle_stage,
        cast(health_band as varchar) as health_band,
        cast(base_priority as integer) as base_priority,
        cast(propensity_basis as varchar) as propensity_basis,
        cast(propensity as numeric(5, 4)) as propensity,
        cast(value_basis as varchar) as value_basis,
        cast(expected_order_value as numeric(18, 2)) as expected_order_value,
        cast(cross_sell_product_id as varchar) as cross_sell_product_id,
        cast(cross_sell_lift as numeric(18, 4)) as cross_sell_lift,
        cast(action_value as numeric(18, 2)) as action_value,
        cast(expected_value as numeric(18, 4)) as expected_value
    from ranked
)

select * from final
