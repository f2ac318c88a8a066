"""Lifecycle history after one build (issue 12, part 2) against an independent recomputation.

From the silver inputs (completed orders of ``slv_customer_orders``, first sightings of ``slv_customer_activity``)
and the thresholds of dbt_project.yml, Python re-derives every customer's stage history by brute force: the stage is
evaluated at the first sighting, at every completed order and at *every* midnight up to as_of (not only at the
day limits the model picks), with the reactivation flags recomputed from the gaps between orders. It must equal
``slv_customer_lifecycle_history`` interval for interval, ``fct_lifecycle_transitions`` row for row, the stage of
``fct_customer_daily_snapshot`` on every day, and the lifecycle and RFM matrices of ``mart_segment_migration``
(RFM re-scored in Python at each month boundary from the rule seed), on DuckDB and on Postgres.
"""
from __future__ import annotations

import bisect
import csv
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import yaml

from warehouse_util import ROOT, SAMPLE_AS_OF, Warehouse

VARS = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
NEW, GAP, REACT = VARS["lifecycle_new_days"], VARS["lifecycle_reactivation_gap_days"], VARS["lifecycle_reactivated_days"]
ACTIVE, AT_RISK, LAPSED = VARS["lifecycle_active_days"], VARS["lifecycle_at_risk_days"], VARS["lifecycle_lapsed_days"]
MONTHS, BINS = VARS["segment_migration_months"], VARS["rfm_bins"]
AS_OF = datetime.fromisoformat(SAMPLE_AS_OF.replace("Z", "+00:00")).replace(tzinfo=None)


def naive(ts: datetime) -> datetime:
    return ts.replace(tzinfo=None)


def days(a: datetime, b: datetime) -> int:
    """Calendar days from a to b (dbt.datediff 'day')."""
    return (b.date() - a.date()).days


class Customer:
    def __init__(self, first_seen: datetime, orders: list[datetime]):
        self.first_seen = first_seen
        self.orders = sorted(orders)
        self.reactivations = [o for p, o in zip(self.orders, self.orders[1:]) if days(p, o) > GAP]

    def stage(self, t: datetime, strictly_before: bool = False) -> str:
        cut = bisect.bisect_left if strictly_before else bisect.bisect_right
        n = cut(self.orders, t)
        if n == 0:
            return "prospect"
        first, last = self.orders[0], self.orders[n - 1]
        r = cut(self.reactivations, t)
        if days(first, t) <= NEW:
            return "new"
        if r and days(self.reactivations[r - 1], t) <= REACT:
            return "reactivated"
        since = days(last, t)
        if since <= ACTIVE:
            return "active"
        if since <= AT_RISK:
            return "at_risk"
        return "lapsed" if since <= LAPSED else "churned"

    def history(self) -> list[tuple[str, datetime, datetime | None]]:
        """(stage, valid_from, valid_to) from the first sighting to as_of, checking every midnight."""
        times = {self.first_seen, *self.orders}
        day = datetime.combine(self.first_seen.date() + timedelta(days=1), datetime.min.time())
        while day <= AS_OF:
            times.add(day)
            day += timedelta(days=1)
        out: list[list] = []
        for t in sorted(times):
            s = self.stage(t)
            if not out or out[-1][0] != s:
                if out:
                    out[-1][2] = t
                out.append([s, t, None])
        return [tuple(x) for x in out]


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def wh(request) -> Warehouse:
    wh = request.getfixturevalue(f"{request.param}_warehouse")
    for table in ("slv_customer_lifecycle_history",):
        assert wh.has_table(wh.schema("silver"), table), "build the warehouse first"
    for table in ("fct_lifecycle_transitions", "mart_segment_migration"):
        assert wh.has_table(wh.schema("gold"), table), "build the warehouse first"
    return wh


@pytest.fixture(scope="module")
def customers(wh: Warehouse) -> dict[str, Customer]:
    silver = wh.schema("silver")
    orders = defaultdict(list)
    for cid, at in wh.query(f"select customer360_id, ordered_at from {silver}.slv_customer_orders where is_completed"):
        orders[cid].append(naive(at))
    seen = wh.query(f"select customer360_id, first_seen_at from {silver}.slv_customer_activity where is_known")
    assert all(first is not None for _, first in seen), "a known customer without first_seen_at (not in the sample)"
    return {cid: Customer(naive(first), orders.get(cid, [])) for cid, first in seen}


@pytest.fixture(scope="module")
def served(wh: Warehouse) -> set[str]:
    return {r[0] for r in wh.query(f"select customer360_id from {wh.schema('silver')}.slv_served_customers")}


def test_history_equals_the_brute_force_recomputation(wh: Warehouse, customers: dict[str, Customer]):
    model = defaultdict(list)
    for cid, stage, start, end in wh.query(
            f"select customer360_id, lifecycle_stage, valid_from, valid_to "
            f"from {wh.schema('silver')}.slv_customer_lifecycle_history order by customer360_id, valid_from"):
        model[cid].append((stage, naive(start), naive(end) if end else None))
    expected = {cid: c.history() for cid, c in customers.items()}
    assert set(model) == set(expected)
    wrong = [cid for cid in expected if model[cid] != expected[cid]]
    assert not wrong, f"{len(wrong)} customers differ, e.g. {wrong[0]}: {model[wrong[0]]} != {expected[wrong[0]]}"
    assert sum(len(h) for h in expected.values()) > 2 * len(expected)  # real histories, not one row each


def test_current_stage_equals_slv_customer_states(wh: Warehouse, customers: dict[str, Customer]):
    states = dict(wh.query(f"select customer360_id, lifecycle_stage from {wh.schema('silver')}.slv_customer_states"))
    assert states == {cid: c.stage(AS_OF) for cid, c in customers.items()}


def test_transitions_row_for_row(wh: Warehouse, customers: dict[str, Customer], served: set[str]):
    rows = wh.query(f"select customer360_id, from_stage, to_stage, transitioned_at, is_first_observation, "
                    f"days_in_from_stage, change_trigger from {wh.schema('gold')}.fct_lifecycle_transitions")
    got = {(cid, naive(at)): (cid, f, t, naive(at), first, d, trig) for cid, f, t, at, first, d, trig in rows}
    assert len(got) == len(rows)
    expected = []
    for cid, c in customers.items():
        if cid not in served:
            continue
        previous = None
        for stage, start, _ in c.history():
            trigger = "first_seen" if previous is None else ("order" if start in c.orders else "elapsed")
            expected.append((cid, previous and previous[0], stage, start, previous is None,
                             None if previous is None else days(previous[1], start), trigger))
            previous = (stage, start)
    assert got == {(r[0], r[3]): r for r in expected}
    changes = Counter((f, t) for _, f, t, _, first, _, _ in got.values() if not first)
    # every customer enters once; after one build the fact holds real changes, along the calendar and at orders
    assert sum(1 for r in got.values() if r[4]) == len(served)
    assert changes[("new", "active")] > 0 and changes[("active", "at_risk")] > 0 and changes[("at_risk", "lapsed")] > 0
    assert changes[("lapsed", "reactivated")] > 0 and changes[("lapsed", "churned")] > 0


def test_daily_snapshot_stage_on_every_day(wh: Warehouse, customers: dict[str, Customer]):
    rows = wh.query(f"select customer360_id, snapshot_date, lifecycle_stage "
                    f"from {wh.schema('gold')}.fct_customer_daily_snapshot")
    assert rows
    wrong = []
    for cid, day, stage in rows:
        day_end = datetime.combine(day + timedelta(days=1), datetime.min.time())
        # the daily snapshot counts the orders of the day: an order at exactly the next midnight is the next day's
        if customers[cid].stage(day_end, strictly_before=True) != stage:
            wrong.append((cid, day, stage))
    assert not wrong, f"{len(wrong)} customer-days differ, e.g. {wrong[:3]}"


def boundaries() -> list[datetime]:
    """00:00 of the first day of the as_of month and of the MONTHS months before it, oldest first."""
    y, m = AS_OF.year, AS_OF.month
    out = []
    for _ in range(MONTHS + 1):
        out.append(datetime(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def periods() -> list[tuple[str, datetime, datetime]]:
    b = boundaries()
    months = [("month", s, e) for s, e in zip(b, b[1:])]
    quarter_starts = [x for x in b if x.month in (1, 4, 7, 10)]
    quarters = [("quarter", s, e) for s, e in zip(quarter_starts, quarter_starts[1:]) if (e.year - s.year) * 12 + e.month - s.month == 3]
    return months + quarters


def matrix(values: dict[datetime, dict[str, str]]) -> Counter:
    out = Counter()
    for grain, start, end in periods():
        for cid, to_value in values[end].items():
            out[(grain, start.date(), (end - timedelta(days=1)).date(), values[start].get(cid), to_value)] += 1
    return out


def mart(wh: Warehouse, dimension: str) -> tuple[Counter, list[tuple]]:
    rows = wh.query(f"select period_grain, period_start, period_end, from_value, to_value, customers, from_customers, "
                    f"share_of_from from {wh.schema('gold')}.mart_segment_migration where dimension = '{dimension}'")
    return Counter({(g, s, e, f, t): n for g, s, e, f, t, n, _, _ in rows}), rows


def check_shares(rows: list[tuple]) -> None:
    totals = Counter()
    for g, s, _, f, _, n, _, _ in rows:
        totals[(g, s, f)] += n
    for g, s, _, f, _, n, from_n, share in rows:
        assert from_n == totals[(g, s, f)]
        assert abs(float(share) - n / from_n) < 1e-6


def test_lifecycle_migration_matrix(wh: Warehouse, customers: dict[str, Customer], served: set[str]):
    values = {b: {cid: c.stage(b) for cid, c in customers.items() if cid in served and c.first_seen <= b}
              for b in boundaries()}
    got, rows = mart(wh, "lifecycle_stage")
    assert got == matrix(values)
    check_shares(rows)
    assert len({r[1] for r in rows if r[0] == "month"}) == MONTHS


# --------------------------------------------------------------------- RFM as of each month boundary
def rfm_rules() -> list[dict]:
    with open(ROOT / "seeds" / "reference" / "rfm_segment_rules.csv", newline="", encoding="utf-8") as fh:
        rules = [{**r, **{k: int(r[k]) for k in ("priority", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max")}}
                 for r in csv.DictReader(fh)]
    return sorted(rules, key=lambda r: (r["priority"], r["segment"]))


def score(rank: int, n: int) -> int:
    return 1 + (BINS * (rank - 1)) // n


def rfm_segments(orders: dict[str, list[tuple[datetime, Decimal]]], at: datetime, rules: list[dict]) -> dict[str, str]:
    """Segment of every customer with a completed order up to `at`: ranks worst first, ties share the first rank."""
    measures = {}
    for cid, rows in orders.items():
        mine = [(t, v) for t, v in rows if t <= at]
        if mine:
            measures[cid] = (days(max(t for t, _ in mine), at), len(mine), sum(v for _, v in mine))
    n = len(measures)
    recency = sorted(m[0] for m in measures.values())
    frequency = sorted(m[1] for m in measures.values())
    monetary = sorted(m[2] for m in measures.values())
    out = {}
    for cid, (r, f, m) in measures.items():
        r_rank = 1 + n - bisect.bisect_right(recency, r)  # worst first: more days since the last order
        scores = (score(r_rank, n), score(1 + bisect.bisect_left(frequency, f), n),
                  score(1 + bisect.bisect_left(monetary, m), n))
        rule = next((x for x in rules if x["r_min"] <= scores[0] <= x["r_max"] and x["f_min"] <= scores[1] <= x["f_max"]
                     and x["m_min"] <= scores[2] <= x["m_max"]), None)
        out[cid] = rule["segment"] if rule else VARS["rfm_fallback_segment"]
    return out


def test_rfm_migration_matrix(wh: Warehouse, served: set[str]):
    orders = defaultdict(list)
    for cid, at, value in wh.query(f"select customer360_id, ordered_at, order_value "
                                   f"from {wh.schema('silver')}.slv_customer_orders where is_completed"):
        orders[cid].append((naive(at), Decimal(str(value))))
    rules = rfm_rules()
    values = {}
    for b in boundaries():
        segments = rfm_segments(orders, b, rules)
        values[b] = {cid: s for cid, s in segments.items() if cid in served}
    got, rows = mart(wh, "rfm_segment")
    assert got == matrix(values)
    check_shares(rows)
