{#-
    Results per experiment and variant, counting each customer from their first exposure
    (slv_experiment_exposures): a conversion is a completed order within var
    experiment_conversion_window_days after the first exposure; revenue per user is the completed order
    value (reporting currency) in the same window, over every exposed user.

    Lift against the control variant (named 'control', else the first variant by name):
    conversion: two-proportion z-test (pooled standard error for the p-value, unpooled for the 95 % CI);
    revenue per user: Welch's t statistic, p-value and CI from the normal approximation (documented:
    accurate when every variant has many users). SRM: chi-square against an equal split; its p-value is
    exact for two variants (df 1, erfc(sqrt(x/2))), null for more. Decision: invalid_srm when the SRM
    p-value is below var experiment_srm_alpha, else significant when the conversion p-value is below 0.05.
-#}

{%- set window_days = var('experiment_conversion_window_days') -%}
{%- set srm_alpha = var('experiment_srm_alpha') -%}

with

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

variants as (
    select
        experiment_id,
        variant,
        count(*) as users,
        sum(converted) as conversions,
        {{ safe_divide('sum(converted)', 'count(*)') }} as conversion_rate,
        {{ safe_divide('sum(revenue)', 'count(*)') }} as revenue_per_user,
        case when count(*) > 1 then
                (sum(revenue * revenue) - sum(revenue) * sum(revenue) / count(*)) / (count(*) - 1)
        end as revenue_variance
    from user_outcomes
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
        sqrt(treatment.revenue_variance / treatment.users + control.revenue_variance / control.users)
            as revenue_se,
        srm.srm_chi_square,
        srm.variant_count
    from ordered as treatment
    inner join ordered as control
        on treatment.experiment_id = control.experiment_id
            and control.variant_order = 1
    inner join srm on treatment.experiment_id = srm.experiment_id
),

tested as (
    select
        compared.*,
        {{ safe_divide('revenue_lift_abs', 'revenue_se') }} as revenue_t,
        case when not compared.is_control then {{ exp_two_sided_p('conversion_z') }} end as conversion_p_value,
        case when compared.variant_count = 2 then {{ exp_chi2_df1_p('srm_chi_square') }} end as srm_p_value
    from compared
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
            case when not is_control then revenue_lift_abs - 1.959963984540054 * revenue_se end
            as {{ type_double() }}
        ) as revenue_lift_ci_lower,
        cast(
            case when not is_control then revenue_lift_abs + 1.959963984540054 * revenue_se end
            as {{ type_double() }}
        ) as revenue_lift_ci_upper,
        cast(case when not is_control then {{ exp_two_sided_p('revenue_t') }} end as {{ type_double() }})
            as revenue_p_value,
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
