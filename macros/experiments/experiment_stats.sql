{#-
    Portable statistics for experiment results (no engine-only statistical functions: only
    abs, sqrt and exp, which DuckDB and Postgres both have).

    exp_erf(x): error function, Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7).
    exp_normal_cdf(z): standard normal CDF, 0.5 * (1 + erf(z / sqrt 2)).
    exp_two_sided_p(z): two-sided p-value of a standard normal statistic, 1 - erf(|z| / sqrt 2).
    exp_chi2_df1_p(x): upper tail of chi-square with 1 degree of freedom, erfc(sqrt(x / 2)).
-#}
{% macro exp_erf(x) -%}
    (sign({{ x }}) * (1.0 - (
        0.254829592 * (1.0 / (1.0 + 0.3275911 * abs({{ x }})))
        - 0.284496736 * power(1.0 / (1.0 + 0.3275911 * abs({{ x }})), 2)
        + 1.421413741 * power(1.0 / (1.0 + 0.3275911 * abs({{ x }})), 3)
        - 1.453152027 * power(1.0 / (1.0 + 0.3275911 * abs({{ x }})), 4)
        + 1.061405429 * power(1.0 / (1.0 + 0.3275911 * abs({{ x }})), 5)
    ) * exp(-1.0 * ({{ x }}) * ({{ x }}))))
{%- endmacro %}

{% macro exp_normal_cdf(z) -%}
    (0.5 * (1.0 + {{ exp_erf('(' ~ z ~ ') / sqrt(2.0)') }}))
{%- endmacro %}

{% macro exp_two_sided_p(z) -%}
    (1.0 - {{ exp_erf('abs(' ~ z ~ ') / sqrt(2.0)') }})
{%- endmacro %}

{% macro exp_chi2_df1_p(x) -%}
    (1.0 - {{ exp_erf('sqrt((' ~ x ~ ') / 2.0)') }})
{%- endmacro %}
