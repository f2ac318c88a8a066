-- Revenue credited to each channel under the six attribution models, side by side
-- (one row per channel, one column per model), with each model's share of the total.

select
    attribution_channel,
    {%- for model in attribution_models() %}
    round(sum(case when attribution_model = '{{ model }}' then total_revenue else 0 end), 2) as {{ model }}_revenue,
    {%- endfor %}
    {%- for model in attribution_models() %}
    round(
        {{ safe_divide(
            "sum(case when attribution_model = '" ~ model ~ "' then total_conversions else 0 end)",
            "(select sum(total_conversions) from " ~ ref('marketing_attribution') ~ " where attribution_model = '" ~ model ~ "')"
        ) }},
        4
    ) as {{ model }}_conversion_share{{ ',' if not loop.last }}
    {%- endfor %}
from {{ ref('marketing_attribution') }}
group by attribution_channel
order by linear_revenue desc
