{#-
    Portable statistics for experiment results: only + - * /, sqrt, exp, ln, abs, case and `with recursive`
    (DuckDB, Postgres, Snowflake, BigQuery and Redshift all have them); no engine-only statistical function.
    Every macro takes SQL expressions (best: column names, as each is repeated in the text it returns) and
    returns a double; tests/singular/experiment_stat_macros_agree_with_scipy.sql checks them against
    scipy-computed literals on every engine, tests/pytest/test_experiments.py checks the mart against scipy.

    Closed forms (use anywhere in a select):
      exp_normal_upper_tail(y)  Q(y) = P(Z > y) for y >= 0: W. J. Cody's rational Chebyshev approximations
                                (ACM TOMS 715, the algorithm of R's pnorm), relative error about 1e-15;
                                0 beyond y = 38 (below 1e-300); null for null.
      exp_erfc(x), exp_erf(x)   erfc(x) = 2 Q(x sqrt 2), erf = 1 - erfc.
      exp_normal_cdf(z)         Phi(z).
      exp_two_sided_p(z)        2 Q(|z|), two-sided p-value of a standard normal statistic.
      exp_ln_gamma(z)           ln Gamma(z) for z >= 0.5, Lanczos (g = 7, 9 coefficients), relative error about 1e-15.
      exp_t_density(t, df)      Student-t density, real df > 0.
      exp_t_quantile_start(df)  Cornish-Fisher start for the 0.975 quantile of t(df) (A&S 26.7.5, 4 terms),
                                never below the normal quantile 1.959963984540054.
    Iterations (each emits named CTEs to place inside a `with recursive` list):
      exp_betainc_ctes(name, source)   regularized incomplete beta I_x(a, b): continued fraction, modified
                                       Lentz, iterated in a recursive CTE until |delta - 1| < 1e-15.
      exp_gammaincc_ctes(name, source) regularized upper incomplete gamma Q(a, x): series for x < a + 1,
                                       else continued fraction (modified Lentz), iterated until converged.
      exp_t_quantile_975_ctes(name, source)  0.975 quantile of Student t(df): 4 Newton steps on the CDF
                                       (source: stat_key, df).
    `source` is a CTE with columns stat_key, a, b, x and (beta only) y = 1 - x computed without cancellation
    (b, y unused by the gamma); CTE `name` returns stat_key and
    value, one row per source row that converged (no row, hence null after a left join, if it did not within
    the iteration cap, or when an input is null or out of the domain).
-#}

{#- Horner evaluation of c[0] v^n + c[1] v^(n-1) + ... + c[n], as SQL text. -#}
{% macro exp_horner(v, coefficients) -%}
    {%- set expression = namespace(text=coefficients[0] ~ '') -%}
    {%- for c in coefficients[1:] -%}
        {%- set expression.text = '(' ~ expression.text ~ ') * ' ~ v ~ ' + ' ~ c -%}
    {%- endfor -%}
    ({{ expression.text }})
{%- endmacro %}

{% macro exp_safe_exp(x) -%}
    (case when {{ x }} < -708.0 then 0.0 else exp({{ x }}) end)
{%- endmacro %}

{% macro exp_normal_upper_tail(y) -%}
    {%- set y2 = '(' ~ y ~ ') * (' ~ y ~ ')' -%}
    {%- set inv2 = '(1.0 / ((' ~ y ~ ') * (' ~ y ~ ')))' -%}
    (case
        when {{ y }} <= 0.67448975 then 0.5 - ({{ y }}) * {{ exp_horner(y2, [
            '0.065682337918207449113', '2.2352520354606839287', '161.02823106855587881',
            '1067.6894854603709582', '18154.981253343561249']) }}
            / {{ exp_horner(y2, ['1.0', '47.20258190468824187', '976.09855173777669322',
            '10260.932208618978205', '45507.789335026729956']) }}
        when {{ y }} <= 5.656854249492380195 then exp(-0.5 * {{ y2 }}) * {{ exp_horner(y, [
            '1.0765576773720192317e-8', '0.39894151208813466764', '8.8831497943883759412',
            '93.506656132177855979', '597.27027639480026226', '2494.5375852903726711', '6848.1904505362823326',
            '11602.651437647350124', '9842.7148383839780218']) }}
            / {{ exp_horner(y, ['1.0', '22.266688044328115691', '235.38790178262499861', '1519.377599407554805',
            '6485.558298266760755', '18615.571640885098091', '34900.952721145977266', '38912.003286093271411',
            '19685.429676859990727']) }}
        when {{ y }} <= 38.0 then exp(-0.5 * {{ y2 }}) * (0.398942280401432677939946059934 - {{ inv2 }} * {{
            exp_horner(inv2, ['0.02307344176494017303', '0.21589853405795699', '0.1274011611602473639',
            '0.022235277870649807', '0.001421619193227893466', '2.9112874951168792e-5']) }}
            / {{ exp_horner(inv2, ['1.0', '1.28426009614491121', '0.468238212480865118', '0.0659881378689285515',
            '0.00378239633202758244', '7.29751555083966205e-5']) }}) / ({{ y }})
        when {{ y }} > 38.0 then 0.0
    end)
{%- endmacro %}

{% macro exp_erfc(x) -%}
    (case
        when {{ x }} >= 0 then 2.0 * {{ exp_normal_upper_tail('(' ~ x ~ ') * 1.4142135623730951') }}
        else 2.0 - 2.0 * {{ exp_normal_upper_tail('-(' ~ x ~ ') * 1.4142135623730951') }}
    end)
{%- endmacro %}

{% macro exp_erf(x) -%}
    (1.0 - {{ exp_erfc(x) }})
{%- endmacro %}

{% macro exp_normal_cdf(z) -%}
    (case
        when {{ z }} >= 0 then 1.0 - {{ exp_normal_upper_tail(z) }}
        else {{ exp_normal_upper_tail('-(' ~ z ~ ')') }}
    end)
{%- endmacro %}

{% macro exp_two_sided_p(z) -%}
    (2.0 * {{ exp_normal_upper_tail('abs(' ~ z ~ ')') }})
{%- endmacro %}

{% macro exp_ln_gamma(z) -%}
    {%- set p = ['676.5203681218851', '-1259.1392167224028', '771.32342877765313', '-176.61502916214059',
                 '12.507343278686905', '-0.13857109526572012', '9.9843695780195716e-6',
                 '1.5056327351493116e-7'] -%}
    (0.91893853320467274178 + (({{ z }}) - 0.5) * ln(({{ z }}) + 6.5) - (({{ z }}) + 6.5)
        + ln(0.99999999999980993
        {%- for c in p %} + {{ c }} / (({{ z }}) + {{ loop.index - 1 }}.0){% endfor %}))
{%- endmacro %}

{% macro exp_t_density(t, df) -%}
    exp({{ exp_ln_gamma('((' ~ df ~ ') + 1.0) / 2.0') }} - {{ exp_ln_gamma('(' ~ df ~ ') / 2.0') }}
        - 0.5 * ln(3.14159265358979323846 * ({{ df }}))
        - (({{ df }}) + 1.0) / 2.0 * ln(1.0 + ({{ t }}) * ({{ t }}) / ({{ df }})))
{%- endmacro %}

{% macro exp_t_quantile_start(df) -%}
    {%- set z = '1.959963984540054' -%}
    (case
        when {{ z }} + 2.372271230298562 / ({{ df }}) + 2.8224986157396112 / power({{ df }}, 2)
            + 2.555849679507722 / power({{ df }}, 3) + 1.5895340533938225 / power({{ df }}, 4) > {{ z }}
            then {{ z }} + 2.372271230298562 / ({{ df }}) + 2.8224986157396112 / power({{ df }}, 2)
            + 2.555849679507722 / power({{ df }}, 3) + 1.5895340533938225 / power({{ df }}, 4)
        else {{ z }}
    end)
{%- endmacro %}

{#- ln B(p, q) = ln Gamma(p) + ln Gamma(q) - ln Gamma(p + q) for 0.5 <= p <= q. The difference
    ln Gamma(p + q) - ln Gamma(q) is taken inside the Lanczos form, so that it does not cancel when q is large
    (q = df / 2 reaches 10^6 at a million users): (q - 0.5) ln(1 + p / (q + 6.5)) + p ln(p + q + 6.5) - p
    + ln(A(p + q) / A(q)), ln(1 + u) by exp_ln_1p. -#}
{% macro exp_ln_beta(p, q) -%}
    {%- set lanczos = ['676.5203681218851', '-1259.1392167224028', '771.32342877765313', '-176.61502916214059',
                       '12.507343278686905', '-0.13857109526572012', '9.9843695780195716e-6',
                       '1.5056327351493116e-7'] -%}
    ({{ exp_ln_gamma(p) }}
        - ((({{ q }}) - 0.5) * {{ exp_ln_1p('(' ~ p ~ ') / ((' ~ q ~ ') + 6.5)') }}
        + ({{ p }}) * ln(({{ p }}) + ({{ q }}) + 6.5) - ({{ p }})
        + ln(0.99999999999980993
        {%- for c in lanczos %} + {{ c }} / (({{ p }}) + ({{ q }}) + {{ loop.index - 1 }}.0){% endfor %})
        - ln(0.99999999999980993
        {%- for c in lanczos %} + {{ c }} / (({{ q }}) + {{ loop.index - 1 }}.0){% endfor %})))
{%- endmacro %}

{#- ln(1 + u) accurate for small u without log1p: ln(w) * u / (w - 1) with w = 1 + u (Goldberg). -#}
{% macro exp_ln_1p(u) -%}
    (case
        when 1.0 + ({{ u }}) = 1.0 then ({{ u }})
        else ln(1.0 + ({{ u }})) * ({{ u }}) / ((1.0 + ({{ u }})) - 1.0)
    end)
{%- endmacro %}

{#- The guard of modified Lentz: a denominator that vanishes is replaced by a tiny number. -#}
{% macro exp_lentz_guard(x) -%}
    (case when abs({{ x }}) < 1e-300 then 1e-300 else {{ x }} end)
{%- endmacro %}

{% macro exp_betainc_ctes(name, source, max_steps=20000) -%}
    {%- set dbl = type_double() -%}
    {#- I_x(a, b) = 1 - I_(1-x)(b, a): the fraction converges fast for x < (a + 1) / (a + b + 2), so the
        other side is swapped. Terms of the fraction (step j = 2m is "even", 2m + 1 "odd"):
        d_2m = m (b - m) x / ((a + 2m - 1)(a + 2m)), d_2m+1 = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)). -#}
    {%- set even_term = '{m} * (cb - {m}) * cx / ((ca + 2.0 * {m} - 1.0) * (ca + 2.0 * {m}))' -%}
    {%- set odd_term = '-(ca + {m}) * (ca + cb + {m}) * cx / ((ca + 2.0 * {m}) * (ca + 2.0 * {m} + 1.0))' -%}
{{ name }}__start as (
    select
        stat_key,
        x >= (a + 1.0) / (a + b + 2.0) as swapped,
        cast(case when x >= (a + 1.0) / (a + b + 2.0) then b else a end as {{ dbl }}) as ca,
        cast(case when x >= (a + 1.0) / (a + b + 2.0) then a else b end as {{ dbl }}) as cb,
        cast(case when x >= (a + 1.0) / (a + b + 2.0) then y else x end as {{ dbl }}) as cx,
        cast(case when x >= (a + 1.0) / (a + b + 2.0) then x else y end as {{ dbl }}) as cy
    from {{ source }}
    where a >= 0.5 and b >= 0.5 and x > 0 and y > 0
),

{{ name }}__iter as (
    select
        stat_key,
        ca,
        cb,
        cx,
        cy,
        swapped,
        cast(1 as integer) as m,
        cast(0 as integer) as phase,
        cast(1.0 as {{ dbl }}) as c,
        cast(1.0 / {{ exp_lentz_guard('1.0 - (ca + cb) * cx / (ca + 1.0)') }} as {{ dbl }}) as d,
        cast(1.0 / {{ exp_lentz_guard('1.0 - (ca + cb) * cx / (ca + 1.0)') }} as {{ dbl }}) as h,
        cast({{ even_term.replace('{m}', '1.0') }} as {{ dbl }}) as term,
        false as done
    from {{ name }}__start
    union all
    select
        stat_key,
        ca,
        cb,
        cx,
        cy,
        swapped,
        cast(m + phase as integer) as m,
        cast(1 - phase as integer) as phase,
        cast({{ exp_lentz_guard('1.0 + term / c') }} as {{ dbl }}) as c,
        cast(1.0 / {{ exp_lentz_guard('1.0 + term * d') }} as {{ dbl }}) as d,
        cast(h * {{ exp_lentz_guard('1.0 + term / c') }} / {{ exp_lentz_guard('1.0 + term * d') }} as {{ dbl }})
            as h,
        cast(case
            when phase = 0 then {{ odd_term.replace('{m}', 'm') }}
            else {{ even_term.replace('{m}', '(m + 1.0)') }}
        end as {{ dbl }}) as term,
        phase = 1
        and abs({{ exp_lentz_guard('1.0 + term / c') }} / {{ exp_lentz_guard('1.0 + term * d') }} - 1.0) < 1e-15
            as done
    from {{ name }}__iter
    where not done and m < {{ max_steps }}
),

{{ name }} as (
    select
        stat_key,
        cast(case
            when swapped then 1.0 - front * h / ca
            else front * h / ca
        end as {{ dbl }}) as value
    from (
        select
            stat_key,
            ca,
            swapped,
            h,
            {{ exp_safe_exp('ca * (case when cx > 0.5 then ' ~ exp_ln_1p('-cy') ~ ' else ln(cx) end)'
                ~ ' + cb * (case when cy > 0.5 then ' ~ exp_ln_1p('-cx') ~ ' else ln(cy) end) - '
                ~ exp_ln_beta('case when ca < cb then ca else cb end', 'case when ca < cb then cb else ca end')) }}
                as front
        from {{ name }}__iter
        where done
    ) as converged
)
{%- endmacro %}

{% macro exp_gammaincc_ctes(name, source, max_steps=20000) -%}
    {%- set dbl = type_double() -%}
    {#- Series (x < a + 1): P(a, x) = e^-x x^a / Gamma(a) * sum_n x^n / (a (a + 1) ... (a + n)), Q = 1 - P;
        state: d = the last term, h = the sum. Continued fraction (x >= a + 1), modified Lentz with
        an_i = -i (i - a), bn_i = x + 1 - a + 2i: Q = e^-x x^a / Gamma(a) * h. -#}
{{ name }}__start as (
    select
        stat_key,
        cast(a as {{ dbl }}) as a,
        cast(x as {{ dbl }}) as x,
        x < a + 1.0 as is_series
    from {{ source }}
    where a > 0 and x > 0
),

{{ name }}__iter as (
    select
        stat_key,
        a,
        x,
        is_series,
        cast(1 as integer) as i,
        cast(case when is_series then 1.0 / a else 1e300 end as {{ dbl }}) as c,
        cast(case when is_series then 1.0 / a else 1.0 / (x + 1.0 - a) end as {{ dbl }}) as d,
        cast(case when is_series then 1.0 / a else 1.0 / (x + 1.0 - a) end as {{ dbl }}) as h,
        false as done
    from {{ name }}__start
    union all
    select
        stat_key,
        a,
        x,
        is_series,
        cast(i + 1 as integer) as i,
        cast(case
            when is_series then c
            else {{ exp_lentz_guard('x + 1.0 - a + 2.0 * i - i * (i - a) / c') }}
        end as {{ dbl }}) as c,
        cast(case
            when is_series then d * x / (a + i)
            else 1.0 / {{ exp_lentz_guard('-i * (i - a) * d + x + 1.0 - a + 2.0 * i') }}
        end as {{ dbl }}) as d,
        cast(case
            when is_series then h + d * x / (a + i)
            else h * {{ exp_lentz_guard('x + 1.0 - a + 2.0 * i - i * (i - a) / c') }}
                / {{ exp_lentz_guard('-i * (i - a) * d + x + 1.0 - a + 2.0 * i') }}
        end as {{ dbl }}) as h,
        case
            when is_series then abs(d * x / (a + i)) < abs(h + d * x / (a + i)) * 1e-16
            else abs({{ exp_lentz_guard('x + 1.0 - a + 2.0 * i - i * (i - a) / c') }}
                / {{ exp_lentz_guard('-i * (i - a) * d + x + 1.0 - a + 2.0 * i') }} - 1.0) < 1e-15
        end as done
    from {{ name }}__iter
    where not done and i < {{ max_steps }}
),

{{ name }} as (
    select
        stat_key,
        cast(case
            when is_series then 1.0 - front * h
            else front * h
        end as {{ dbl }}) as value
    from (
        select
            stat_key,
            is_series,
            h,
            {{ exp_safe_exp('a * ln(x) - x - ' ~ exp_ln_gamma('a')) }}
                as front
        from {{ name }}__iter
        where done
    ) as converged
)
{%- endmacro %}

{#- The 0.975 quantile of Student t(df), real df >= 1: from exp_t_quantile_start, `steps` Newton steps
    q <- q + (p(q) / 2 - 0.025) / f(q) on the CDF, p the two-sided tail (exp_betainc_ctes), f the density.
    Above 0 the CDF is concave, so from a start below the root Newton rises monotonically to it (an iterate is
    kept at or above the normal quantile, below which the root never is). 4 steps: |q - t.ppf(0.975, df)|
    below 1e-14 at df 1, the slowest case (the start is worst there: 11.3 for 12.7), and below 1e-10 for df
    from 1.2 to 2e6 (checked with scipy). `source` has stat_key and df; CTE `name` has stat_key and value. -#}
{% macro exp_t_quantile_975_ctes(name, source, steps=4) -%}
{{ name }}__0 as (
    select
        stat_key,
        cast(df as {{ type_double() }}) as df,
        cast({{ exp_t_quantile_start('df') }} as {{ type_double() }}) as q
    from {{ source }}
    where df >= 1
),
{%- for step in range(1, steps + 1) %}

{{ name }}__input_{{ step }} as (
    select
        stat_key,
        df / 2.0 as a,
        0.5 as b,
        df / (df + q * q) as x,
        q * q / (df + q * q) as y
    from {{ name }}__{{ step - 1 }}
),

{{ exp_betainc_ctes(name ~ '__tail_' ~ step, name ~ '__input_' ~ step) }},

{{ name }}__{{ step }} as (
    select
        previous.stat_key,
        previous.df,
        cast(case
            when previous.q + (tail.value / 2.0 - 0.025) / {{ exp_t_density('previous.q', 'previous.df') }}
                > 1.959963984540054
                then previous.q + (tail.value / 2.0 - 0.025) / {{ exp_t_density('previous.q', 'previous.df') }}
            else 1.959963984540054
        end as {{ type_double() }}) as q
    from {{ name }}__{{ step - 1 }} as previous
    inner join {{ name }}__tail_{{ step }} as tail on previous.stat_key = tail.stat_key
),
{%- endfor %}

{{ name }} as (
    select
        stat_key,
        q as value
    from {{ name }}__{{ steps }}
)
{%- endmacro %}
