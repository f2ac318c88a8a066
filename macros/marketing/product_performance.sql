{#-
    Product classification for mart_product_performance, defined once with the
    thresholds as vars (dbt_project.yml, block "Marketing: campaign and product
    performance").

    ABC analysis: products ordered by value (revenue) descending, ties by the
    tiebreak column (product_id) ascending, so the order is deterministic.
    A product's class depends on the value ranked ahead of it ("preceding"):

        preceding < product_abc_a_share (0.80) x total  -> A
        preceding < product_abc_b_share (0.95) x total  -> B
        otherwise, or value <= 0                        -> C

    so A is the products that make up the first 80 % of revenue, including the
    one that crosses the mark; a product ending exactly on 80 % is A and the
    next one B. The comparison is done on amounts (no division), exact in
    numeric arithmetic on every engine.
-#}
{% macro abc_order_by(value, tiebreak) -%}
    order by coalesce({{ value }}, 0) desc, {{ tiebreak }}
{%- endmacro %}

{#- 1, 2, 3, ... in ABC order (no shared ranks: ties are ordered by the tiebreak). -#}
{% macro abc_rank(value, tiebreak) -%}
    row_number() over ({{ abc_order_by(value, tiebreak) }})
{%- endmacro %}

{#- Share of the total value of this product and every product ranked ahead of it (null when the total is 0). -#}
{% macro abc_cumulative_share(value, tiebreak) -%}
    {{ safe_divide(
        'sum(coalesce(' ~ value ~ ', 0)) over (' ~ abc_order_by(value, tiebreak) ~ ' rows between unbounded preceding and current row)',
        'sum(coalesce(' ~ value ~ ', 0)) over ()'
    ) }}
{%- endmacro %}

{% macro abc_class(value, tiebreak) -%}
    {%- set preceding -%}
        coalesce(sum(coalesce({{ value }}, 0)) over (
            {{ abc_order_by(value, tiebreak) }} rows between unbounded preceding and 1 preceding
        ), 0)
    {%- endset -%}
    {%- set total = 'sum(coalesce(' ~ value ~ ', 0)) over ()' -%}
    case
        when coalesce({{ value }}, 0) <= 0 then 'C'
        when {{ preceding }} < {{ var('product_abc_a_share') }} * {{ total }} then 'A'
        when {{ preceding }} < {{ var('product_abc_b_share') }} * {{ total }} then 'B'
        else 'C'
    end
{%- endmacro %}

{#-
    Change of a product's share of revenue from the previous window to the
    last one (window = var product_status_window_days before as_of):

        share_growth = (recent / recent_total) / (previous / previous_total) - 1

    0 = held its share, +0.25 = its share grew by a quarter. Null when it did
    not sell in the previous window (or nothing sold in the last one).
-#}
{% macro product_share_growth(recent_revenue, previous_revenue, recent_total, previous_total) -%}
    ({{ safe_divide(
        '(' ~ recent_revenue ~ ') * (' ~ previous_total ~ ')',
        '(' ~ previous_revenue ~ ') * (' ~ recent_total ~ ')'
    ) }} - 1)
{%- endmacro %}

{#-
    Product status (BCG-style matrix):
      high share = share of the last window's revenue >= var product_status_min_revenue_share (0.02)
      growing    = sold in the last window and either did not sell in the previous one (new)
                   or share_growth >= var product_status_min_share_growth (0)
    Star = high + growing, Cash Cow = high + not growing, Problem = low + growing,
    Declining = low + not growing (incl. products that did not sell in the last window).
-#}
{% macro product_is_growing(recent_revenue, previous_revenue, share_growth) -%}
    (
        coalesce({{ recent_revenue }}, 0) > 0
        and (
            coalesce({{ previous_revenue }}, 0) = 0
            or {{ share_growth }} >= {{ var('product_status_min_share_growth') }}
        )
    )
{%- endmacro %}

{% macro product_status(recent_revenue_share, recent_revenue, previous_revenue, share_growth) -%}
    {%- set is_high_share = 'coalesce(' ~ recent_revenue_share ~ ', 0) >= ' ~ var('product_status_min_revenue_share') -%}
    {%- set is_growing = product_is_growing(recent_revenue, previous_revenue, share_growth) -%}
    case
        when {{ is_high_share }} and {{ is_growing }} then 'Star'
        when {{ is_high_share }} then 'Cash Cow'
        when {{ is_growing }} then 'Problem'
        else 'Declining'
    end
{%- endmacro %}

{#- var promotional_payment_methods, checked against domain payment_method of seed accepted_values. -#}
{% macro promotional_payment_methods() -%}
    {%- set methods = var('promotional_payment_methods') -%}
    {%- set accepted = accepted_values_of('payment_method') -%}
    {%- for method in methods if execute and method not in accepted -%}
        {{ exceptions.raise_compiler_error("var promotional_payment_methods: '" ~ method ~ "' is not in domain payment_method of seed accepted_values") }}
    {%- endfor -%}
    {{ return(methods) }}
{%- endmacro %}

{#- The statuses in reporting order (accepted values) and what marketing should do with each. -#}
{% macro product_statuses() -%}
    {{ return({
        'Star': 'Invest: feature in campaigns and keep in stock; protect the price, no deep discounts',
        'Cash Cow': 'Maintain: keep visible with low spend; use as an anchor in bundles and cross-sell',
        'Problem': 'Test: targeted campaigns to build share (new audiences, placements); review price and returns',
        'Declining': 'Review: clear stock with promotions or bundle with a Star; consider retiring'
    }) }}
{%- endmacro %}

{% macro product_marketing_recommendation(status) -%}
    case {{ status }}
        {%- for status_name, recommendation in product_statuses().items() %}
        when '{{ status_name }}' then '{{ recommendation }}'
        {%- endfor %}
    end
{%- endmacro %}
