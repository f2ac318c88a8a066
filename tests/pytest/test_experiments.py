"""mart_experiment_results against an independent recomputation (issue 11, experiments).

From the silver inputs the mart reads (first exposures, completed orders) Python recomputes, per experiment and
variant, users, conversions in the 14-day window, revenue per user, the lift with its 95 % CI, the two-proportion
z-test p-value, Welch's t statistic with its normal-approximation p-value, and the SRM chi-square p-value, with
``math.erfc`` (exact to double precision) where the mart uses its portable erf approximation. They must agree to
1e-6 on both engines. The experiments are the ones the generator planted (sample truth experiments.csv).
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

import pytest

from warehouse_util import Warehouse

WINDOW = timedelta(days=14)
Z95 = 1.959963984540054
TOL = 1e-6


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def wh(request) -> Warehouse:
    wh = request.getfixturevalue(f"{request.param}_warehouse")
    assert wh.has_table(wh.schema("gold"), "mart_experiment_results"), "build the warehouse first"
    return wh


def p_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def expected(wh: Warehouse) -> dict[tuple[str, str], dict]:
    exposures = wh.query(f"select customer360_id, experiment_id, variant, first_exposed_at "
                         f"from {wh.schema('silver')}.slv_experiment_exposures")
    orders = defaultdict(list)
    for cid, at, value in wh.query(f"select customer360_id, ordered_at, order_value "
                                   f"from {wh.schema('silver')}.slv_customer_orders where is_completed"):
        orders[cid].append((at.replace(tzinfo=None), float(value)))
    users = defaultdict(list)  # (experiment, variant) -> [(converted, revenue)]
    for cid, exp, variant, first in exposures:
        first = first.replace(tzinfo=None)
        hits = [v for at, v in orders[cid] if first <= at < first + WINDOW]
        users[(exp, variant)].append((1 if hits else 0, sum(hits)))
    out = {}
    by_exp = defaultdict(list)
    for (exp, variant) in users:
        by_exp[exp].append(variant)
    for exp, variants in by_exp.items():
        control = "control" if "control" in variants else sorted(variants)[0]
        total = sum(len(users[(exp, v)]) for v in variants)
        chi = sum((len(users[(exp, v)]) - total / len(variants)) ** 2 / (total / len(variants)) for v in variants)
        srm_p = math.erfc(math.sqrt(chi / 2)) if len(variants) == 2 else None

        def stats(v):
            rows = users[(exp, v)]
            n = len(rows)
            conv = sum(c for c, _ in rows)
            mean = sum(r for _, r in rows) / n
            var = sum((r - mean) ** 2 for _, r in rows) / (n - 1) if n > 1 else None
            return n, conv, conv / n, mean, var

        cn, cc, cr, cm, cv = stats(control)
        for v in variants:
            n, conv, rate, mean, var = stats(v)
            row = {"users": n, "conversions": conv, "conversion_rate": rate, "revenue_per_user": mean,
                   "srm_p_value": srm_p}
            if v != control:
                pooled = (conv + cc) / (n + cn)
                z = (rate - cr) / math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / cn))
                se = math.sqrt(rate * (1 - rate) / n + cr * (1 - cr) / cn)
                rse = math.sqrt(var / n + cv / cn)
                row.update(conversion_lift_abs=rate - cr, conversion_lift_ci_lower=rate - cr - Z95 * se,
                           conversion_lift_ci_upper=rate - cr + Z95 * se, conversion_p_value=p_two_sided(z),
                           revenue_lift_abs=mean - cm, revenue_p_value=p_two_sided((mean - cm) / rse))
            out[(exp, v)] = row
    return out


def test_experiment_statistics_agree_with_an_independent_recomputation(wh: Warehouse) -> None:
    want = expected(wh)
    assert len(want) >= 4, "the sample has at least two experiments with two variants"
    columns = ["users", "conversions", "conversion_rate", "revenue_per_user", "srm_p_value", "conversion_lift_abs",
               "conversion_lift_ci_lower", "conversion_lift_ci_upper", "conversion_p_value", "revenue_lift_abs",
               "revenue_p_value"]
    got = {(r[0], r[1]): dict(zip(columns, r[2:])) for r in wh.query(
        f"select experiment_id, variant, {', '.join(columns)} from {wh.schema('gold')}.mart_experiment_results")}
    assert set(got) == set(want)
    for key, row in want.items():
        for column in columns:
            value, actual = row.get(column), got[key][column]
            if value is None:
                assert actual is None, (key, column, actual)
            else:
                assert actual is not None and abs(float(actual) - value) <= TOL, (key, column, actual, value)


def test_decision_follows_the_p_values(wh: Warehouse) -> None:
    for srm_p, conv_p, is_control, decision in wh.query(
            f"select srm_p_value, conversion_p_value, is_control, decision "
            f"from {wh.schema('gold')}.mart_experiment_results"):
        if srm_p is not None and srm_p < 0.001:
            assert decision == "invalid_srm"
        elif not is_control and conv_p < 0.05:
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
