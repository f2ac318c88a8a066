"""mart_experiment_results against scipy (issue 11, experiments).

From the silver inputs the mart reads (first exposures, completed orders) Python recomputes, per experiment and
variant, users, conversions in the 14-day window and revenue per user, then every statistic with scipy.stats:

* conversion: the two-proportion z-test (pooled standard error), p = 2 norm.sf(|z|), and the Wald 95 % CI
  with norm.ppf(0.975);
* revenue per user: ``ttest_ind(treatment, control, equal_var=False)`` (Welch's t, the Welch-Satterthwaite df,
  the Student-t p-value) and its ``confidence_interval(0.95)`` (t quantile at that df);
* SRM: ``chisquare(users per variant)`` (equal split, k - 1 df), any number of variants.

Statistics that scipy leaves undefined (nan: a variant with one user, zero variance everywhere, a pooled
conversion rate of 0 or 1) must be null in the mart. Everything else must agree within 1e-6 on both engines, for
every row. The experiments are the ones the generator planted (sample truth experiments.csv). The module reads an existing warehouse (DUCKDB_PATH / DBT_SCHEMA) and takes about a second.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

import pytest
from scipy import stats

from warehouse_util import Warehouse

WINDOW = timedelta(days=14)
TOL = 1e-6

COLUMNS = ["users", "conversions", "conversion_rate", "revenue_per_user", "conversion_lift_abs",
           "conversion_lift_rel", "conversion_lift_ci_lower", "conversion_lift_ci_upper", "conversion_p_value",
           "revenue_lift_abs", "revenue_lift_rel", "revenue_lift_ci_lower", "revenue_lift_ci_upper",
           "revenue_t_statistic", "revenue_welch_df", "revenue_p_value", "srm_chi_square", "srm_p_value"]


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def wh(request) -> Warehouse:
    wh = request.getfixturevalue(f"{request.param}_warehouse")
    assert wh.has_table(wh.schema("gold"), "mart_experiment_results"), "build the warehouse first"
    return wh


def defined(value: float) -> float | None:
    """scipy's nan (undefined statistic) as None, the mart's null."""
    value = float(value)
    return None if math.isnan(value) else value


def outcomes(wh: Warehouse) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """(experiment, variant) -> [(converted, revenue)] per user, from the silver tables the mart reads."""
    exposures = wh.query(f"select customer360_id, experiment_id, variant, first_exposed_at "
                         f"from {wh.schema('silver')}.slv_experiment_exposures")
    orders = defaultdict(list)
    for cid, at, value in wh.query(f"select customer360_id, ordered_at, order_value "
                                   f"from {wh.schema('silver')}.slv_customer_orders where is_completed"):
        orders[cid].append((at.replace(tzinfo=None), float(value)))
    users = defaultdict(list)
    for cid, exp, variant, first in exposures:
        first = first.replace(tzinfo=None)
        hits = [v for at, v in orders[cid] if first <= at < first + WINDOW]
        users[(exp, variant)].append((1 if hits else 0, sum(hits)))
    return users


def expected(wh: Warehouse) -> dict[tuple[str, str], dict]:
    users = outcomes(wh)
    by_exp = defaultdict(list)
    for exp, variant in users:
        by_exp[exp].append(variant)
    z95 = stats.norm.ppf(0.975)
    out = {}
    for exp, variants in by_exp.items():
        control = "control" if "control" in variants else sorted(variants)[0]
        counts = [len(users[(exp, v)]) for v in variants]
        srm = stats.chisquare(counts) if len(variants) > 1 else None
        c_rows = users[(exp, control)]
        cn, cc = len(c_rows), sum(c for c, _ in c_rows)
        c_rev = [r for _, r in c_rows]
        cr, cm = cc / cn, sum(c_rev) / cn
        for v in variants:
            rows = users[(exp, v)]
            n, conv = len(rows), sum(c for c, _ in rows)
            rev = [r for _, r in rows]
            rate, mean = conv / n, sum(rev) / n
            row = {"users": n, "conversions": conv, "conversion_rate": rate, "revenue_per_user": mean,
                   "srm_chi_square": float(srm.statistic) if srm else 0.0,
                   "srm_p_value": float(srm.pvalue) if srm else None}
            if v != control:
                pooled = (conv + cc) / (n + cn)
                pooled_se = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / cn))
                se = math.sqrt(rate * (1 - rate) / n + cr * (1 - cr) / cn)
                row.update(
                    conversion_lift_abs=rate - cr,
                    conversion_lift_rel=(rate - cr) / cr if cr else None,
                    conversion_lift_ci_lower=rate - cr - z95 * se, conversion_lift_ci_upper=rate - cr + z95 * se,
                    conversion_p_value=2 * stats.norm.sf(abs(rate - cr) / pooled_se) if pooled_se else None,
                    revenue_lift_abs=mean - cm, revenue_lift_rel=(mean - cm) / cm if cm else None)
                if n > 1 and cn > 1:
                    welch = stats.ttest_ind(rev, c_rev, equal_var=False)
                    ci = welch.confidence_interval(0.95)
                    # the CI again from t.ppf, as the mart builds it (lift +- q se)
                    t_stat = defined(welch.statistic)
                    if t_stat is not None and t_stat != 0:
                        q = stats.t.ppf(0.975, welch.df)
                        half = q * (mean - cm) / t_stat
                        assert abs(abs(half) - (ci.high - ci.low) / 2) < 1e-9
                    row.update(revenue_t_statistic=t_stat, revenue_welch_df=defined(welch.df),
                               revenue_p_value=defined(welch.pvalue),
                               revenue_lift_ci_lower=defined(ci.low), revenue_lift_ci_upper=defined(ci.high))
            out[(exp, v)] = row
    return out


def test_experiment_statistics_agree_with_scipy(wh: Warehouse) -> None:
    want = expected(wh)
    assert len(want) >= 4, "the sample has at least two experiments with two variants"
    got = {(r[0], r[1]): dict(zip(COLUMNS, r[2:])) for r in wh.query(
        f"select experiment_id, variant, {', '.join(COLUMNS)} from {wh.schema('gold')}.mart_experiment_results")}
    assert set(got) == set(want)
    worst: dict[str, float] = {}
    for key, row in want.items():
        for column in COLUMNS:
            value, actual = row.get(column), got[key][column]
            if value is None:
                assert actual is None, (key, column, actual)
                continue
            assert actual is not None, (key, column, value)
            diff = abs(float(actual) - value)
            worst[column] = max(worst.get(column, 0.0), diff)
            assert diff <= TOL, (key, column, actual, value)
    print(f"\n{wh.engine}: max |mart - scipy| per column: "
          + ", ".join(f"{c} {d:.1e}" for c, d in sorted(worst.items())))


def test_every_treatment_row_has_its_statistics(wh: Warehouse) -> None:
    """On the sample every variant has many users, revenue and conversions: nothing is null for want of data."""
    for row in wh.query(f"select experiment_variant_key, conversion_p_value, revenue_p_value, revenue_lift_ci_lower, "
                        f"srm_p_value from {wh.schema('gold')}.mart_experiment_results where not is_control"):
        assert None not in row, row


def test_decision_follows_the_p_values(wh: Warehouse) -> None:
    for srm_p, conv_p, is_control, decision in wh.query(
            f"select srm_p_value, conversion_p_value, is_control, decision "
            f"from {wh.schema('gold')}.mart_experiment_results"):
        if srm_p is not None and srm_p < 0.001:
            assert decision == "invalid_srm"
        elif not is_control and conv_p is not None and conv_p < 0.05:
            assert decision == "significant"
        else:
            assert decision == "not_significant"


def test_the_sample_carries_the_planted_experiments(wh: Warehouse) -> None:
    """The generator's planted experiments (tests/fixtures/sample_truth/experiments.csv) are the mart's, with about
    the users and conversions the generator counted per variant (true persons; identity resolution and defects
    move a few). Their expected decisions hold at 100,000 people (test_experiments_scale.py), not at the sample."""
    import csv

    from warehouse_util import TRUTH_DIR

    with open(TRUTH_DIR / "experiments.csv", newline="") as fh:
        truth = {r["experiment_id"]: r for r in csv.DictReader(fh)}
    got = {(r[0], r[1]): (int(r[2]), int(r[3])) for r in wh.query(
        f"select experiment_id, variant, users, conversions from {wh.schema('gold')}.mart_experiment_results")}
    assert {x for x, _ in got} == set(truth)
    for (x, variant), (users, conversions) in got.items():
        want_users, want_conv = int(truth[x][f"users_{variant}"]), int(truth[x][f"conversions_{variant}"])
        assert abs(users - want_users) <= max(3, 0.05 * want_users), (x, variant, users, want_users)
        assert abs(conversions - want_conv) <= max(3, 0.1 * want_conv), (x, variant, conversions, want_conv)
