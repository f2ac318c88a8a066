-- Experiment results: treatment variants against control, with lift, 95 % CI, p-values and the decision.
select
    experiment_id,
    variant,
    users,
    conversion_rate,
    conversion_lift_abs,
    conversion_lift_ci_lower,
    conversion_lift_ci_upper,
    conversion_p_value,
    revenue_per_user,
    revenue_p_value,
    srm_p_value,
    decision
from {{ ref('mart_experiment_results') }}
where not is_control
order by experiment_id, variant
