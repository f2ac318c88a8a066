{{ config(tags=['marketing', 'experiments']) }}
-- depends_on: {{ ref('mart_experiment_results') }}
{#-
    The statistics macros of macros/experiments/experiment_stats.sql on literal inputs, against values computed
    with scipy 1.17.1 (the pinned version; the expression is named per kind below) and written here as
    literals. Returns the cases where a macro is null or differs by more than 1e-9 (relative above 1).
    Hand checks among them: 2 norm.sf(1.959963984540054) = 0.05; ln Gamma(0.5) = ln sqrt(pi), ln Gamma(1) = 0;
    t with 1 df is Cauchy: 2 t.sf(2, 1) = 1 - 2 atan(2) / pi, t.ppf(0.975, 1) = tan(0.475 pi) = 12.7062;
    chi-square with 2 df (an SRM over 3 variants) is exponential: chi2.sf(x, 2) = exp(-x / 2), 0.6065 for 1 and
    0.0821 for 5.
      two_sided_p     x1 = z             2 * scipy.stats.norm.sf(z)
      normal_cdf      x1 = z             scipy.stats.norm.cdf(z)
      erf             x1 = x             scipy.special.erf(x)
      ln_gamma        x1 = z             scipy.special.gammaln(z)
      t_two_sided_p   x1 = t, x2 = df    2 * scipy.stats.t.sf(t, df)
      t_quantile_975  x1 = df            scipy.stats.t.ppf(0.975, df)
      chi2_upper      x1 = chi2, x2 = df scipy.stats.chi2.sf(chi2, df)
-#}
{%- set cases = [] %}
{%- do cases.append({'case_id': 1, 'kind': 'two_sided_p', 'x1': 0.0, 'x2': 0, 'expected': 1.0}) %}
{%- do cases.append({'case_id': 2, 'kind': 'two_sided_p', 'x1': 0.5, 'x2': 0, 'expected': 0.6170750774519738}) %}
{%- do cases.append({'case_id': 3, 'kind': 'two_sided_p', 'x1': 1.959963984540054, 'x2': 0, 'expected': 0.05}) %}
{%- do cases.append({'case_id': 4, 'kind': 'two_sided_p', 'x1': 3.0, 'x2': 0, 'expected': 0.0026997960632601866}) %}
{%- do cases.append({'case_id': 5, 'kind': 'two_sided_p', 'x1': 6.0, 'x2': 0, 'expected': 1.973175290075389e-09}) %}
{%- do cases.append({'case_id': 6, 'kind': 'two_sided_p', 'x1': 10.0, 'x2': 0, 'expected': 1.523970604832094e-23}) %}
{%- do cases.append({'case_id': 7, 'kind': 'normal_cdf', 'x1': -2.5, 'x2': 0, 'expected': 0.006209665325776132}) %}
{%- do cases.append({'case_id': 8, 'kind': 'normal_cdf', 'x1': 0.3, 'x2': 0, 'expected': 0.6179114221889526}) %}
{%- do cases.append({'case_id': 9, 'kind': 'normal_cdf', 'x1': 1.0, 'x2': 0, 'expected': 0.8413447460685429}) %}
{%- do cases.append({'case_id': 10, 'kind': 'erf', 'x1': 0.2, 'x2': 0, 'expected': 0.22270258921047845}) %}
{%- do cases.append({'case_id': 11, 'kind': 'erf', 'x1': 1.5, 'x2': 0, 'expected': 0.9661051464753108}) %}
{%- do cases.append({'case_id': 12, 'kind': 'ln_gamma', 'x1': 0.5, 'x2': 0, 'expected': 0.5723649429247}) %}
{%- do cases.append({'case_id': 13, 'kind': 'ln_gamma', 'x1': 1.0, 'x2': 0, 'expected': 0.0}) %}
{%- do cases.append({'case_id': 14, 'kind': 'ln_gamma', 'x1': 3.7, 'x2': 0, 'expected': 1.428072326665388}) %}
{%- do cases.append({'case_id': 15, 'kind': 'ln_gamma', 'x1': 100.5, 'x2': 0, 'expected': 361.43554046777757}) %}
{%- do cases.append({'case_id': 16, 'kind': 'ln_gamma', 'x1': 1000000.0, 'x2': 0, 'expected': 12815504.569147611}) %}
{%- do cases.append({'case_id': 17, 'kind': 't_two_sided_p', 'x1': 2.0, 'x2': 1.0, 'expected': 0.2951672353008665}) %}
{%- do cases.append({'case_id': 18, 'kind': 't_two_sided_p', 'x1': 0.8, 'x2': 3.5, 'expected': 0.47446557669465206}) %}
{%- do cases.append({'case_id': 19, 'kind': 't_two_sided_p', 'x1': 2.5, 'x2': 134.3, 'expected': 0.01362329116827959}) %}
{%- do cases.append({'case_id': 20, 'kind': 't_two_sided_p', 'x1': 0.05, 'x2': 20.0, 'expected': 0.9606183709987897}) %}
{%- do cases.append({'case_id': 21, 'kind': 't_two_sided_p', 'x1': 1.7, 'x2': 1000000.0, 'expected': 0.08913123649034883}) %}
{%- do cases.append({'case_id': 22, 'kind': 't_quantile_975', 'x1': 1.0, 'x2': 0, 'expected': 12.706204736174694}) %}
{%- do cases.append({'case_id': 23, 'kind': 't_quantile_975', 'x1': 2.5, 'x2': 0, 'expected': 3.5746548420036817}) %}
{%- do cases.append({'case_id': 24, 'kind': 't_quantile_975', 'x1': 30.0, 'x2': 0, 'expected': 2.0422724563012378}) %}
{%- do cases.append({'case_id': 25, 'kind': 't_quantile_975', 'x1': 134.31908611156348, 'x2': 0, 'expected': 1.9777829483708598}) %}
{%- do cases.append({'case_id': 26, 'kind': 't_quantile_975', 'x1': 1000000.0, 'x2': 0, 'expected': 1.959966356814107}) %}
{%- do cases.append({'case_id': 27, 'kind': 'chi2_upper', 'x1': 1.0, 'x2': 1, 'expected': 0.31731050786291115}) %}
{%- do cases.append({'case_id': 28, 'kind': 'chi2_upper', 'x1': 1.0, 'x2': 2, 'expected': 0.6065306597126334}) %}
{%- do cases.append({'case_id': 29, 'kind': 'chi2_upper', 'x1': 5.0, 'x2': 2, 'expected': 0.0820849986238988}) %}
{%- do cases.append({'case_id': 30, 'kind': 'chi2_upper', 'x1': 12.3, 'x2': 4, 'expected': 0.015254394655769615}) %}
{%- do cases.append({'case_id': 31, 'kind': 'chi2_upper', 'x1': 0.01, 'x2': 3, 'expected': 0.9997348349413444}) %}
{%- do cases.append({'case_id': 32, 'kind': 'chi2_upper', 'x1': 300.0, 'x2': 2, 'expected': 7.175095973164448e-66}) %}

with recursive

cases as (
    select
        case_id,
        kind,
        cast(x1 as {{ type_double() }}) as x1,
        cast(x2 as {{ type_double() }}) as x2,
        cast(expected as {{ type_double() }}) as expected
    from (
        {{ literal_rows(cases) }}
    ) as literal_cases
),

t_tail_input as (
    select
        case_id as stat_key,
        x2 / 2.0 as a,
        0.5 as b,
        x2 / (x2 + x1 * x1) as x,
        x1 * x1 / (x2 + x1 * x1) as y
    from cases
    where kind = 't_two_sided_p'
),

{{ exp_betainc_ctes('t_tail', 't_tail_input') }},

quantile_input as (
    select
        case_id as stat_key,
        x1 as df
    from cases
    where kind = 't_quantile_975'
),

{{ exp_t_quantile_975_ctes('quantile', 'quantile_input') }},

chi2_input as (
    select
        case_id as stat_key,
        x2 / 2.0 as a,
        cast(null as {{ type_double() }}) as b,
        x1 / 2.0 as x,
        cast(null as {{ type_double() }}) as y
    from cases
    where kind = 'chi2_upper'
),

{{ exp_gammaincc_ctes('chi2_tail', 'chi2_input') }},

computed as (
    select
        cases.case_id,
        cases.kind,
        cases.x1,
        cases.x2,
        cases.expected,
        case cases.kind
            when 'two_sided_p' then {{ exp_two_sided_p('cases.x1') }}
            when 'normal_cdf' then {{ exp_normal_cdf('cases.x1') }}
            when 'erf' then {{ exp_erf('cases.x1') }}
            when 'ln_gamma' then {{ exp_ln_gamma('cases.x1') }}
            when 't_two_sided_p' then t_tail.value
            when 't_quantile_975' then quantile.value
            when 'chi2_upper' then chi2_tail.value
        end as actual
    from cases
    left join t_tail on cases.case_id = t_tail.stat_key
    left join quantile on cases.case_id = quantile.stat_key
    left join chi2_tail on cases.case_id = chi2_tail.stat_key
)

select *
from computed
where
    actual is null
    or abs(actual - expected) > 1e-9 * (case when abs(expected) > 1 then abs(expected) else 1 end)
