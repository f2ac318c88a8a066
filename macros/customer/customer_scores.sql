{#-
    The Customer 360 scores (slv_customer_scores -> dim_customer), one macro
    per score; arguments are SQL expressions, weights are vars. Inputs, all
    relative to as_of:
      R  days since the last completed order (null: never ordered)
      G  the customer's purchase cadence: average days between consecutive
         completed orders; with fewer than two orders var
         score_default_purchase_gap_days (90); never below 7
      S  days since last seen (null: never seen -> 365)
-#}

{#-
    churn_risk_score (0-1; null for customers who never ordered: a prospect
    cannot churn). "Recency and frequency decline" (spec 002):
      overdue   = 1 - 0.5 ^ (max(R - G, 0) / G)
                  0 while the customer is within their own cadence, 0.5 one
                  cadence late, 0.75 two cadences late
      decline   = max(0, 1 - orders last 365 days / orders in the 365 before),
                  0 without orders in the year before
      churn     = w_overdue x overdue + w_decline x decline
                  (var churn_risk_weights: 0.8 / 0.2)
-#}
{% macro churn_risk_score(days_since_last_purchase, purchase_gap_days, orders_last_365d, orders_previous_365d) -%}
    {%- set weights = var('churn_risk_weights') -%}
    case
        when {{ days_since_last_purchase }} is not null
            then
                {{ weights['overdue'] }} * (
                    1 - power(
                        0.5,
                        (case
                            when {{ days_since_last_purchase }} > {{ purchase_gap_days }}
                                then {{ days_since_last_purchase }} - {{ purchase_gap_days }}
                            else 0
                        end) * 1.0 / {{ purchase_gap_days }}
                    )
                )
                + {{ weights['decline'] }} * (
                    case
                        when {{ orders_previous_365d }} > 0 and {{ orders_last_365d }} < {{ orders_previous_365d }}
                            then 1 - {{ orders_last_365d }} * 1.0 / {{ orders_previous_365d }}
                        else 0
                    end
                )
    end
{%- endmacro %}

{#-
    engagement_score (0-100): how much the customer interacts, recency first:
      40 x (1 - min(S, 365) / 365) + 30 x min(sessions last 90 days, 10) / 10
      + 15 x min(e-mail opens/clicks and push opens last 90 days, 10) / 10
      + 15 x min(completed orders last 365 days, 5) / 5
-#}
{% macro engagement_score(days_since_last_seen, sessions_last_90d, message_engagements_last_90d, orders_last_365d) -%}
    40 * (1 - least(greatest(coalesce({{ days_since_last_seen }}, 365), 0), 365) / 365.0)
    + 30 * least({{ sessions_last_90d }}, 10) / 10.0
    + 15 * least({{ message_engagements_last_90d }}, 10) / 10.0
    + 15 * least({{ orders_last_365d }}, 5) / 5.0
{%- endmacro %}

{#-
    propensity_to_buy_score (0-1): likelihood of an order in the next H days
    (var propensity_horizon_days, 30):
      timing    = max(0, 1 - |R + H/2 - G| / G): 1 when the next order is due
                  in the middle of the horizon, 0 when it is a cadence away;
                  0 for customers who never ordered
      intent    = min(add-to-cart and checkout events last 30 days, 3) / 3
      propensity = w_base + w_timing x timing x (1 - churn_risk)
                   + w_intent x intent + w_engagement x engagement_score / 100
                   (var propensity_weights: 0.05 / 0.40 / 0.30 / 0.25, sum 1)
-#}
{% macro propensity_to_buy_score(days_since_last_purchase, purchase_gap_days, churn_risk, cart_events_last_30d, engagement) -%}
    {%- set weights = var('propensity_weights') -%}
    {%- set half_horizon = var('propensity_horizon_days') / 2 -%}
    {{ weights['base'] }}
    + {{ weights['timing'] }} * coalesce(
        greatest(
            0,
            1 - abs({{ days_since_last_purchase }} + {{ half_horizon }} - {{ purchase_gap_days }}) * 1.0
            / {{ purchase_gap_days }}
        ) * (1 - {{ churn_risk }}),
        0
    )
    + {{ weights['intent'] }} * least({{ cart_events_last_30d }}, 3) / 3.0
    + {{ weights['engagement'] }} * {{ engagement }} / 100.0
{%- endmacro %}

{#-
    lifetime_value: revenue to date + the value expected in the next
    var ltv_horizon_days (365):
      expected orders = horizon / G x (1 - churn_risk)
      lifetime_value  = revenue to date + average order value x expected orders
    (0 expected for customers who never ordered.)
-#}
{% macro lifetime_value(total_revenue, orders_count, purchase_gap_days, churn_risk) -%}
    {{ total_revenue }}
    + case
        when {{ orders_count }} > 0
            then
                {{ total_revenue }} * 1.0 / {{ orders_count }}
                * {{ var('ltv_horizon_days') }} * 1.0 / {{ purchase_gap_days }}
                * (1 - coalesce({{ churn_risk }}, 1))
        else 0
    end
{%- endmacro %}
