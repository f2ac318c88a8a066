{#-
    The customer health score (spec 003, "Customer Health Score: weighted
    average of usage, payment health, support interactions", 0-100), built in
    slv_customer_health and served in dim_customer.health_score. Arguments are
    SQL expressions; weights, targets and penalties are vars (block "Customer
    health score" in dbt_project.yml). W = var health_window_days (90): the
    recent window before as_of.

    Three components, each 0..1 (1 = healthy):

      usage    (feature adoption and usage raise health)
               = w_recency  x (1 - min(days since last use, W) / W)    never used in W: 0
               + w_sessions x min(sessions in W / target_sessions, 1)
               + w_orders   x min(completed orders in W / target_orders, 1)
               + w_features x min(distinct app features used in W / target_features, 1)
               (var health_usage_weights 0.25 each, var health_usage_targets 10 / 3 / 2)
               last use = the latest web/app visit event or completed order

      payments (payment failures lower health)
               = max(0, successful share - penalty x failed payments in W)
               successful share = (success + refunded) / all payments of the
               customer's orders (a refunded payment was collected);
               penalty = var health_payment_failure_penalty (0.25)
               null when the customer has no payment: a missing component

      support  (support pain lowers health)
               = max(0, 1 - p_open x open tickets
                          - p_low_csat x tickets rated <= var health_low_csat_max (2)
                          - p_detractor x [latest NPS answer is a detractor, 0-6])
               over tickets and NPS answers of the last var
               health_support_window_days (365); open = opened in that window
               and unresolved at as_of; var health_support_penalties 0.2 / 0.2 / 0.4.
               No ticket and no answer: 1 (no pain seen)

    health_score = 100 x sum(w_c x c) / sum(w_c), over the components that
    are not null (var health_score_weights usage 0.5, payments 0.25, support
    0.25): a missing component (no payments) is left out and the weights of the
    others are rescaled to sum 1, so a customer is neither punished nor
    rewarded for what cannot be seen.
-#}

{#- usage component (0..1); greatest/least skip nulls, so a null recency is handled first -#}
{% macro health_usage_score(days_since_last_use, sessions, orders, features) -%}
    {%- set weights = var('health_usage_weights') -%}
    {%- set targets = var('health_usage_targets') -%}
    {%- set window = var('health_window_days') -%}
    (
        {{ weights['recency'] }} * case
            when {{ days_since_last_use }} is not null
                then 1 - least(greatest({{ days_since_last_use }}, 0), {{ window }}) * 1.0 / {{ window }}
            else 0
        end
        + {{ weights['sessions'] }} * least({{ sessions }} * 1.0 / {{ targets['sessions'] }}, 1)
        + {{ weights['orders'] }} * least({{ orders }} * 1.0 / {{ targets['orders'] }}, 1)
        + {{ weights['features'] }} * least({{ features }} * 1.0 / {{ targets['features'] }}, 1)
    )
{%- endmacro %}

{#- payments component (0..1; null without payments) -#}
{% macro health_payment_score(successful_payments, failed_payments, recent_failed_payments) -%}
    case
        when {{ successful_payments }} + {{ failed_payments }} > 0
            then greatest(
                0,
                {{ successful_payments }} * 1.0 / ({{ successful_payments }} + {{ failed_payments }})
                - {{ var('health_payment_failure_penalty') }} * {{ recent_failed_payments }}
            )
    end
{%- endmacro %}

{#- support component (0..1) -#}
{% macro health_support_score(open_tickets, low_csat_tickets, is_detractor) -%}
    {%- set penalties = var('health_support_penalties') -%}
    greatest(
        0,
        1
        - {{ penalties['open_ticket'] }} * {{ open_tickets }}
        - {{ penalties['low_csat'] }} * {{ low_csat_tickets }}
        - {{ penalties['detractor'] }} * case when {{ is_detractor }} then 1 else 0 end
    )
{%- endmacro %}

{#- the score (0-100): weighted mean of the non-null components, weights rescaled over them -#}
{% macro customer_health_score(usage, payments, support) -%}
    {%- set weights = var('health_score_weights') -%}
    {%- set components = [(usage, weights['usage']), (payments, weights['payments']),
        (support, weights['support'])] -%}
    100.0 * (
        {%- for expression, weight in components %}
        coalesce({{ weight }} * ({{ expression }}), 0){% if not loop.last %} +{% endif %}
        {%- endfor %}
    ) / nullif(
        {%- for expression, weight in components %}
        case when ({{ expression }}) is not null then {{ weight }} else 0 end{% if not loop.last %} +{% endif %}
        {%- endfor %},
        0
    )
{%- endmacro %}

{#- health band of a score: healthy >= cut-off healthy (70), at_risk < cut-off at_risk (40), else neutral -#}
{% macro health_band(score) -%}
    {%- set cutoffs = var('health_band_cutoffs') -%}
    case
        when {{ score }} >= {{ cutoffs['healthy'] }} then 'healthy'
        when {{ score }} < {{ cutoffs['at_risk'] }} then 'at_risk'
        when {{ score }} is not null then 'neutral'
    end
{%- endmacro %}
