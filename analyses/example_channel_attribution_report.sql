-- Spec 002 "Channel Attribution Report", on mart_channel_attribution: one attribution model at a time
-- (var attribution_model, default 'linear'; see attribution_models_side_by_side for all six).

select
    attribution_channel,
    total_conversions,
    total_revenue,
    spend,
    roas,
    channel_efficiency_score,
    channel_classification,
    optimization_recommendation
from {{ ref('mart_channel_attribution') }}
where attribution_model = '{{ var("attribution_model") }}'
order by total_revenue desc
