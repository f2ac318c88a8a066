{#-
    Platform-reported against attributed figures (mart_platform_vs_orders, mart_platform_vs_orders_channel,
    mart_channel_attribution): the gap ratio and its status, defined once.

      gap ratio = platform / attributed, null when attributed is 0 (safe_divide)
      status    no_conversions    both 0 (or null)
                platform_only     the platform reports some, the orders attribute none
                orders_only       the orders attribute some, the platform reports none
                over_reported     ratio > threshold (var platform_over_reporting_threshold, 1.5)
                under_reported    ratio < 1 (the platform claims less than the orders show)
                within_threshold  1 <= ratio <= threshold
      over-reported = conversions or revenue over_reported or platform_only (never null)
-#}
{% macro platform_gap_ratio(platform, attributed) -%}
    {{ safe_divide(platform, attributed) }}
{%- endmacro %}

{% macro platform_gap_status(platform, attributed, threshold=none) -%}
    {%- set threshold = threshold if threshold is not none else var('platform_over_reporting_threshold') -%}
    case
        when coalesce({{ platform }}, 0) = 0 and coalesce({{ attributed }}, 0) = 0 then 'no_conversions'
        when coalesce({{ attributed }}, 0) = 0 then 'platform_only'
        when coalesce({{ platform }}, 0) = 0 then 'orders_only'
        when {{ platform }} > {{ threshold }} * {{ attributed }} then 'over_reported'
        when {{ platform }} < {{ attributed }} then 'under_reported'
        else 'within_threshold'
    end
{%- endmacro %}

{% macro platform_is_over_reported(platform_conversions, attributed_conversions, platform_revenue, attributed_revenue, threshold=none) -%}
    (
        {{ platform_gap_status(platform_conversions, attributed_conversions, threshold) }} in ('over_reported', 'platform_only')
        or {{ platform_gap_status(platform_revenue, attributed_revenue, threshold) }} in ('over_reported', 'platform_only')
    )
{%- endmacro %}
