-- Revenue credited to each channel under the six attribution models, side by side
-- (one row per channel, one column per model), and each model's share of the conversions.

with

shares as (
    select
        attribution_channel,
        attribution_model,
        total_revenue,
        {{ safe_divide('total_conversions', 'sum(total_conversions) over (partition by attribution_model)') }}
            as conversion_share
    from {{ ref('mart_channel_attribution') }}
)

select
    attribution_channel,
    {%- for model in attribution_models() %}
    round(sum(case when attribution_model = '{{ model }}' then total_revenue else 0 end), 2) as {{ model }}_revenue,
    round(sum(case when attribution_model = '{{ model }}' then conversion_share else 0 end), 4)
        as {{ model }}_conversion_share,
    {%- endfor %}
    count(*) as models_reporting
from shares
group by attribution_channel
order by linear_revenue desc
