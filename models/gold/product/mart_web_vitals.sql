{#-
    Core Web Vitals per page type x device type, over every page view in fct_page_views (up to as_of, within
    retention): the p75 (var web_vitals_percentile, interpolated: macro percentile) of LCP, INP and CLS, and
    the shares of measured page views rated good / needs improvement / poor (ratings of fct_page_views, macro
    web_vital_rating, thresholds var web_vitals_thresholds). A share's denominator is the page views on which
    that metric was measured.
-#}

{%- set fraction = var('web_vitals_percentile') -%}

with

page_views as (
    select
        page_type,
        device_type,
        lcp_ms,
        inp_ms,
        cls,
        lcp_rating,
        inp_rating,
        cls_rating
    from {{ ref('fct_page_views') }}
),

per_segment as (
    select
        page_type,
        device_type,
        count(*) as page_views,
        count(lcp_ms) as lcp_measured,
        count(inp_ms) as inp_measured,
        count(cls) as cls_measured,
        {%- for metric in ['lcp', 'inp', 'cls'] %}
        {%- for rating in ['good', 'needs_improvement', 'poor'] %}
        count(case when {{ metric }}_rating = '{{ rating }}' then 1 end) as {{ metric }}_{{ rating }}_views,
        {%- endfor %}
        {%- endfor %}
        {{ percentile('lcp_ms', fraction) }} as lcp_p75_ms,
        {{ percentile('inp_ms', fraction) }} as inp_p75_ms,
        {{ percentile('cls', fraction) }} as cls_p75
    from page_views
    group by page_type, device_type
),

final as (
    select
        cast(page_type || '|' || device_type as varchar) as page_type_device_key,
        cast(page_type as varchar) as page_type,
        cast(device_type as varchar) as device_type,
        cast(page_views as bigint) as page_views,
        cast(lcp_p75_ms as {{ type_double() }}) as lcp_p75_ms,
        cast(inp_p75_ms as {{ type_double() }}) as inp_p75_ms,
        cast(cls_p75 as {{ type_double() }}) as cls_p75,
        cast({{ web_vital_rating('lcp_p75_ms', 'lcp_ms') }} as varchar) as lcp_p75_rating,
        cast({{ safe_divide('lcp_good_views', 'lcp_measured') }} as {{ type_double() }}) as lcp_good_share,
        cast({{ safe_divide('lcp_needs_improvement_views', 'lcp_measured') }} as {{ type_double() }}) as lcp_needs_improvement_share,
        cast({{ safe_divide('lcp_poor_views', 'lcp_measured') }} as {{ type_double() }}) as lcp_poor_share,
        cast({{ web_vital_rating('inp_p75_ms', 'inp_ms') }} as varchar) as inp_p75_rating,
        cast({{ safe_divide('inp_good_views', 'inp_measured') }} as {{ type_double() }}) as inp_good_share,
        cast({{ safe_divide('inp_needs_improvement_views', 'inp_measured') }} as {{ type_double() }}) as inp_needs_improvement_share,
        cast({{ safe_divide('inp_poor_views', 'inp_measured') }} as {{ type_double() }}) as inp_poor_share,
        cast({{ web_vital_rating('cls_p75', 'cls') }} as varchar) as cls_p75_rating,
        cast({{ safe_divide('cls_good_views', 'cls_measured') }} as {{ type_double() }}) as cls_good_share,
        cast({{ safe_divide('cls_needs_improvement_views', 'cls_measured') }} as {{ type_double() }}) as cls_needs_improvement_share,
        cast({{ safe_divide('cls_poor_views', 'cls_measured') }} as {{ type_double() }}) as cls_poor_share
    from per_segment
)

select * from final
