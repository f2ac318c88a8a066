{#-
    Results per experiment and variant, counting each customer from their first exposure
    (slv_experiment_exposures): a conversion is a completed order within var
    experiment_conversion_window_days after the first exposure; revenue per user is the completed order
    value (reporting currency) in the same window, over every exposed user.

    Lift against the control variant (named 'control', else the first variant by name). The statistics are
    the portable macros of macros/experiments/experiment_stats.sql and agree with scipy.stats to 1e-6
    (tests/pytest/test_experiments.py; the closed forms to about 1e-13):
    - conversion: two-proportion z-test, pooled standard error, two-sided normal p-value (Cody's normal tail);
      95 % CI with the unpooled (Wald) standard error and the normal quantile 1.959963984540054.
      Null p-value when the pooled rate is 0 or 1 (no conversions, or everyone converts: no variance).
    - revenue per user: Welch's t-test, t = lift / sqrt(s1^2/n1 + s2^2/n2), Welch-Satterthwaite df, two-sided
      Student-t p-value I_(df/(df+t^2))(df/2, 1/2) (regularized incomplete beta, recursive-CTE Lentz), as
      scipy.stats.ttest_ind(equal_var=False); 95 % CI lift +- q se with q the 0.975 quantile of t(df): a
      Cornish-Fisher start and 4 Newton steps on the t CDF (monotone from below, as the CDF is concave above 0;
      4 steps reach 1e-14 at df 1, the smallest Welch df when each variant has 2 users, fewer are needed
      above). Null t, df, p-value and CI when a variant has fewer than 2 users (no sample variance) or both
      variances are 0 (e.g. no revenue anywhere); p-value 1 when t is 0.
    - SRM: chi-square of the users against an equal split over the experiment's k variants, p-value the
      chi-square upper tail with k - 1 df (regularized upper incomplete gamma Q((k-1)/2, chi2/2)); 1 when the
      split is exact, null for a single variant.
    Decision: invalid_srm when the SRM p-value is below var experiment_srm_alpha, else significant when the
    conversion p-value is below 0.05, else not_significant.
-#}

{%- set window_days = var('experiment_conversion_window_days') -%}
{%- set srm_alpha = var('experiment_srm_alpha') -%}

with recursive

exposures as (
    select * from {{ ref('slv_experiment_exposures') }}
),

orders as (
    select
        customer360_id,
        ordered_at,
        order_value
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

user_outcomes as (
    select
        exposures.experiment_id,
        exposures.variant,
        exposures.customer360_id,
        case when count(orders.ordered_at) > 0 then 1 else 0 end as converted,
        coalesce(sum(orders.order_value), 0) as revenue
    from exposures
    left join orders
        on exposures.customer360_id = orders.customer360_id
            and exposures.first_exposed_at <= orders.ordered_at
            and orders.ordered_at < {{ dbt.dateadd('day', window_days, 'exposures.first_exposed_at') }}
    group by exposures.experiment_id, exposures.variant, exposures.customer360_id
),

user_deviations as (
    select
        experiment_id,
        variant,
        converted,
        revenue,
        revenue - avg(revenue) over (partition by experiment_id, variant) as revenue_deviation
    from user_outcomes
),

variants as (
    -- sample variance in two passes (sum of squared deviations from the mean): no cancellation
    select
        experiment_id,
        variant,
        count(*) as users,
        sum(converted) as conversions,
        {{ safe_divide('sum(converted)', 'count(*)') }} as conversion_rate,
        cast({{ safe_divide('sum(revenue)', 'count(*)') }} as {{ type_double() }}) as revenue_per_user,
        cast(case when count(*) > 1 then
                sum(revenue_deviation * revenue_deviation) / (count(*) - 1)
        end as {{ type_double() }}) as revenue_variance
    from user_deviations
    group by experiment_id, variant
),

ordered as (
    select
        variants.*,
        row_number() over (
            partition by variants.experiment_id
            order by case when variants.variant = 'control' then 0 else 1 end, variants.variant
        ) as variant_order,
        count(*) over (partition by variants.experiment_id) as variant_count,
        sum(variants.users) over (partition by variants.experiment_id) as experiment_users
    from variants
),

srm as (
    select
        experiment_id,
        sum(
            (users - 1.0 * experiment_users / variant_count) * (users - 1.0 * experiment_users / variant_count)
            / (1.0 * experiment_users / variant_count)
        ) as srm_chi_square,
        max(variant_count) as variant_count
    from ordered
    group by experiment_id
),

srm_input as (
    select
        experiment_id as stat_key,
        (variant_count - 1) / 2.0 as a,
        cast(null as {{ type_double() }}) as b,
        srm_chi_square / 2.0 as x,
        cast(null as {{ type_double() }}) as y
    from srm
    where variant_count > 1
),

{{ exp_gammaincc_ctes('srm_upper_tail', 'srm_input') }},

compared as (
    select
        treatment.experiment_id,
        treatment.variant,
        control.variant as control_variant,
        treatment.variant_order = 1 as is_control,
        treatment.users,
        treatment.conversions,
        treatment.conversion_rate,
        treatment.revenue_per_user,
        treatment.revenue_variance,
        treatment.conversion_rate - control.conversion_rate as conversion_lift_abs,
        {{ safe_divide('treatment.conversion_rate - control.conversion_rate', 'control.conversion_rate') }}
            as conversion_lift_rel,
        sqrt(
            treatment.conversion_rate * (1 - treatment.conversion_rate) / treatment.users
            + control.conversion_rate * (1 - control.conversion_rate) / control.users
        ) as conversion_se_unpooled,
        {{ safe_divide('treatment.conversion_rate - control.conversion_rate',
            'sqrt((1.0 * (treatment.conversions + control.conversions) / (treatment.users + control.users))'
            ~ ' * (1 - 1.0 * (treatment.conversions + control.conversions) / (treatment.users + control.users))'
            ~ ' * (1.0 / treatment.users + 1.0 / control.users))') }} as conversion_z,
        treatment.revenue_per_user - control.revenue_per_user as revenue_lift_abs,
        {{ safe_divide('treatment.revenue_per_user - control.revenue_per_user', 'control.revenue_per_user') }}
            as revenue_lift_rel,
        treatment.revenue_variance / treatment.users as revenue_var_mean_treatment,
        control.revenue_variance / control.users as revenue_var_mean_control,
        treatment.users as users_treatment,
        control.users as users_control,
        srm.srm_chi_square,
        srm.variant_count
    from ordered as treatment
    inner join ordered as control
        on treatment.experiment_id = control.experiment_id
            and control.variant_order = 1
    inner join srm on treatment.experiment_id = srm.experiment_id
),

welch as (
    select
        compared.*,
        case when compared.revenue_var_mean_treatment + compared.revenue_var_mean_control > 0 then
                sqrt(compared.revenue_var_mean_treatment + compared.revenue_var_mean_control)
        end as revenue_se,
        -- Welch-Satterthwaite: (v1 + v2)^2 / (v1^2 / (n1 - 1) + v2^2 / (n2 - 1)), v = s^2 / n; >= min(n) - 1 >= 1
        case when compared.revenue_var_mean_treatment + compared.revenue_var_mean_control > 0 then
                (compared.revenue_var_mean_treatment + compared.revenue_var_mean_control)
                * (compared.revenue_var_mean_treatment + compared.revenue_var_mean_control)
                / (
                    compared.revenue_var_mean_treatment * compared.revenue_var_mean_treatment
                    / (compared.users_treatment - 1)
                    + compared.revenue_var_mean_control * compared.revenue_var_mean_control
                    / (compared.users_control - 1)
                )
        end as revenue_df
    from compared
    where not compared.is_control
),

welch_t as (
    select
        experiment_id,
        variant,
        revenue_df,
        revenue_se,
        revenue_lift_abs / revenue_se as revenue_t
    from welch
    where revenue_se is not null
),

welch_input as (
    -- two-sided Student-t p-value = I_x(df / 2, 1 / 2), x = df / (df + t^2), 1 - x = t^2 / (df + t^2)
    select
        {{ dbt.concat(['experiment_id', "'|'", 'variant']) }} as stat_key,
        revenue_df / 2.0 as a,
        0.5 as b,
        revenue_df / (revenue_df + revenue_t * revenue_t) as x,
        revenue_t * revenue_t / (revenue_df + revenue_t * revenue_t) as y
    from welch_t
),

{{ exp_betainc_ctes('welch_p', 'welch_input') }},

t_quantile_input as (
    select
        {{ dbt.concat(['experiment_id', "'|'", 'variant']) }} as stat_key,
        revenue_df as df
    from welch_t
),

{{ exp_t_quantile_975_ctes('t_quantile', 't_quantile_input') }},

tested as (
    select
        compared.*,
        welch_t.revenue_se,
        welch_t.revenue_df,
        welch_t.revenue_t,
        t_quantile.value as revenue_t_quantile,
        case
            when welch_t.revenue_t = 0 then 1.0
            else welch_p.value
        end as revenue_p_value,
        case when not compared.is_control then {{ exp_two_sided_p('conversion_z') }} end as conversion_p_value,
        case
            when compared.variant_count < 2 then null
            when compared.srm_chi_square = 0 then 1.0
            else srm_upper_tail.value
        end as srm_p_value
    from compared
    left join welch_t
        on compared.experiment_id = welch_t.experiment_id
            and compared.variant = welch_t.variant
    left join welch_p
        on {{ dbt.concat(['compared.experiment_id', "'|'", 'compared.variant']) }} = welch_p.stat_key
    left join t_quantile
        on {{ dbt.concat(['compared.experiment_id', "'|'", 'compared.variant']) }} = t_quantile.stat_key
    left join srm_upper_tail on compared.experiment_id = srm_upper_tail.stat_key
),

final as (
    select
        {{ dbt.concat(['experiment_id', "'|'", 'variant']) }} as experiment_variant_key,
        experiment_id,
        variant,
        control_variant,
        is_control,
        cast(users as {{ dbt.type_bigint() }}) as users,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(conversion_rate as {{ type_double() }}) as conversion_rate,
        cast(revenue_per_user as {{ type_double() }}) as revenue_per_user,
        cast(case when not is_control then conversion_lift_abs end as {{ type_double() }}) as conversion_lift_abs,
        cast(case when not is_control then conversion_lift_rel end as {{ type_double() }}) as conversion_lift_rel,
        cast(
            case when not is_control then conversion_lift_abs - 1.959963984540054 * conversion_se_unpooled end
            as {{ type_double() }}
        ) as conversion_lift_ci_lower,
        cast(
            case when not is_control then conversion_lift_abs + 1.959963984540054 * conversion_se_unpooled end
            as {{ type_double() }}
        ) as conversion_lift_ci_upper,
        cast(conversion_p_value as {{ type_double() }}) as conversion_p_value,
        cast(case when not is_control then revenue_lift_abs end as {{ type_double() }}) as revenue_lift_abs,
        cast(case when not is_control then revenue_lift_rel end as {{ type_double() }}) as revenue_lift_rel,
        cast(
            case when not is_control then revenue_lift_abs - revenue_t_quantile * revenue_se end
            as {{ type_double() }}
        ) as revenue_lift_ci_lower,
        cast(
            case when not is_control then revenue_lift_abs + revenue_t_quantile * revenue_se end
            as {{ type_double() }}
        ) as revenue_lift_ci_upper,
        cast(revenue_t as {{ type_double() }}) as revenue_t_statistic,
        cast(revenue_df as {{ type_double() }}) as revenue_welch_df,
        cast(revenue_p_value as {{ type_double() }}) as revenue_p_value,
        cast(srm_chi_square as {{ type_double() }}) as srm_chi_square,
        cast(srm_p_value as {{ type_double() }}) as srm_p_value,
        case
            when srm_p_value < {{ srm_alpha }} then 'invalid_srm'
            when not is_control and conversion_p_value < 0.05 then 'significant'
            else 'not_significant'
        end as decision
    from tested
)

select * from final
