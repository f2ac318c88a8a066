"""Customer journeys recomputed in plain Python from the warehouse's touchpoints, orders, events and NPS responses.

The dbt unit tests pin macro journey_path and the stage rules on hand-made rows; here every journey of the sample
is built again, independently of the SQL (and of fct_attribution: the lookback window is applied to fct_touchpoints
here):

* every completed order's path (touches of the customer with converted_at - 30 days < touched_at <= converted_at,
  by time then touchpoint_id, consecutive repeats collapsed, ' > '), its touches, steps, channels, first and last
  channel and days to convert; every touched customer without a completed order's open path;
* mart_journey_paths: journeys, conversions, conversion rate, mean days to convert and revenue per path;
* the journey stage of every customer and each stage entered (when, from which stage), and the stage counts.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
import yaml

from warehouse_util import ROOT, Warehouse

LOOKBACK = timedelta(days=yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["attribution_lookback_days"])
STAGES = ["awareness", "consideration", "purchase", "retention", "advocacy"]
CONSIDERATION_EVENTS = ("product_view", "add_to_cart", "checkout_start")
TOL = 1e-9


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def wh(request) -> Warehouse:
    wh = request.getfixturevalue(f"{request.param}_warehouse")
    assert wh.has_table(wh.schema("gold"), "fct_customer_journeys"), "build the warehouse first"
    return wh


def naive(ts):
    return ts.replace(tzinfo=None) if ts is not None and ts.tzinfo else ts


def collapse(channels: list[str]) -> list[str]:
    steps: list[str] = []
    for channel in channels:
        if not steps or steps[-1] != channel:
            steps.append(channel)
    return steps


def path_row(touches: list[tuple]) -> dict:
    """touches: (touched_at, touchpoint_id, channel), any order."""
    touches = sorted(touches)
    channels = [t[2] for t in touches]
    steps = collapse(channels)
    return {"touch_path": " > ".join(steps), "touches": len(touches), "path_steps": len(steps),
            "distinct_channels": len(set(channels)), "first_touch_channel": steps[0], "last_touch_channel": steps[-1],
            "first_touched_at": touches[0][0]}


def completed_orders(wh: Warehouse) -> list[tuple]:
    return [(o, c, naive(at), Decimal(v), n) for o, c, at, v, n in wh.query(
        f"select order_id, customer360_id, ordered_at, order_value, completed_order_number "
        f"from {wh.schema('silver')}.slv_customer_orders where is_completed")]


def touches_by_customer(wh: Warehouse) -> dict[str, list[tuple]]:
    by_customer: dict[str, list[tuple]] = defaultdict(list)
    for tid, cid, at, channel in wh.query(f"select touchpoint_id, customer360_id, touched_at, channel "
                                          f"from {wh.schema('gold')}.fct_touchpoints"):
        by_customer[cid].append((naive(at), tid, channel))
    return by_customer


def expected_journeys(wh: Warehouse) -> dict[str, dict]:
    touches = touches_by_customer(wh)
    orders = completed_orders(wh)
    journeys: dict[str, dict] = {}
    for order_id, cid, at, value, number in orders:
        window = [t for t in touches.get(cid, []) if at - LOOKBACK < t[0] <= at]
        if window:
            row = path_row(window)
            row["days_to_convert"] = (at - row.pop("first_touched_at")).total_seconds() / 86400
        else:
            row = {"touch_path": "Unattributed", "touches": 0, "path_steps": 0, "distinct_channels": 0,
                   "first_touch_channel": "Unattributed", "last_touch_channel": "Unattributed",
                   "days_to_convert": None}
        row.update(customer360_id=cid, is_converted=True, is_first_order=number == 1, revenue=value)
        journeys[f"order:{order_id}"] = row
    converted = {o[1] for o in orders}
    for cid, rows in touches.items():
        if cid not in converted:
            row = path_row(rows)
            del row["first_touched_at"]
            row.update(customer360_id=cid, is_converted=False, is_first_order=False, revenue=None,
                       days_to_convert=None)
            journeys[f"open:{cid}"] = row
    return journeys


JOURNEY_COLUMNS = ["customer360_id", "is_converted", "is_first_order", "touch_path", "touches", "path_steps",
                   "distinct_channels", "first_touch_channel", "last_touch_channel", "days_to_convert", "revenue"]


def actual_journeys(wh: Warehouse) -> dict[str, dict]:
    return {r[0]: dict(zip(JOURNEY_COLUMNS, r[1:])) for r in wh.query(
        f"select journey_id, {', '.join(JOURNEY_COLUMNS)} from {wh.schema('gold')}.fct_customer_journeys")}


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (float, Decimal)) or isinstance(b, (float, Decimal)):
        return abs(float(a) - float(b)) <= max(TOL, 0.005 if isinstance(b, Decimal) else 0)
    return a == b


def test_every_journey_path_matches_a_python_recomputation(wh: Warehouse) -> None:
    want, got = expected_journeys(wh), actual_journeys(wh)
    conversions = [k for k in want if k.startswith("order:")]
    assert len(conversions) > 3000 and any(r["touches"] > 3 for r in want.values())  # the sample, not an empty build
    assert set(got) == set(want)
    wrong = [(k, c, got[k][c], want[k][c]) for k in want for c in JOURNEY_COLUMNS if not same(got[k][c], want[k][c])]
    assert not wrong, f"{len(wrong)} differences, e.g. {wrong[:5]}"


def test_collapsing_joins_only_consecutive_repeats() -> None:
    assert collapse(["Email", "Email", "Direct", "Email"]) == ["Email", "Direct", "Email"]


def test_journey_paths_mart_matches_the_journeys(wh: Warehouse) -> None:
    want: dict[str, dict] = defaultdict(lambda: {"journeys": 0, "conversions": 0, "revenue": Decimal(0), "days": []})
    for row in expected_journeys(wh).values():
        path = want[row["touch_path"]]
        path["journeys"] += 1
        if row["is_converted"]:
            path["conversions"] += 1
            path["revenue"] += row["revenue"]
            if row["days_to_convert"] is not None:
                path["days"].append(row["days_to_convert"])
    got = {r[0]: r[1:] for r in wh.query(
        f"select touch_path, path_rank, journeys, conversions, conversion_rate, avg_days_to_convert, revenue "
        f"from {wh.schema('gold')}.mart_journey_paths")}
    assert set(got) == set(want)
    for path, w in want.items():
        rank, journeys, conversions, rate, days, revenue = got[path]
        assert (journeys, conversions) == (w["journeys"], w["conversions"]), path
        assert abs(rate - w["conversions"] / w["journeys"]) <= TOL, path
        assert same(days, sum(w["days"]) / len(w["days"]) if w["days"] else None), (path, days)
        assert abs(Decimal(revenue) - w["revenue"]) <= Decimal("0.005"), path
    # rank: most journeys first, then most conversions, then by path (the last tie-break follows the engine's
    # collation, so only the figures of the ranked paths are compared on every engine)
    ranked = sorted(want, key=lambda p: (-want[p]["journeys"], -want[p]["conversions"], p))
    by_rank = [p for p, _ in sorted(got.items(), key=lambda kv: kv[1][0])]
    assert [got[p][0] for p in by_rank] == list(range(1, len(by_rank) + 1))
    assert [(want[p]["journeys"], want[p]["conversions"]) for p in by_rank] == \
           [(want[p]["journeys"], want[p]["conversions"]) for p in ranked]
    if wh.engine == "duckdb":
        assert by_rank[:20] == ranked[:20]


# ------------------------------------------------------------------ stages
def expected_transitions(wh: Warehouse) -> dict[str, list[tuple[str | None, str, object]]]:
    """customer -> [(from_stage, to_stage, transitioned_at)] by the documented rules."""
    silver, gold = wh.schema("silver"), wh.schema("gold")
    served = {r[0] for r in wh.query(f"select customer360_id from {silver}.slv_served_customers")}
    milestones: dict[str, dict[str, tuple]] = defaultdict(dict)

    def first(customer: str, stage: str, at, record_id: str) -> None:
        current = milestones[customer].get(stage)
        if current is None or (at, record_id) < current:
            milestones[customer][stage] = (at, record_id)

    for cid, rows in touches_by_customer(wh).items():
        for at, tid, _ in rows:
            first(cid, "awareness", at, tid)
    for eid, cid, at in wh.query(f"select event_id, customer360_id, event_at from {silver}.slv_customer_events "
                                 f"where event_type in {CONSIDERATION_EVENTS}"):
        first(cid, "consideration", naive(at), eid)
    first_order_at = {}
    for order_id, cid, at, _, number in completed_orders(wh):
        if number == 1:
            first(cid, "purchase", at, order_id)
            first_order_at[cid] = at
        elif number == 2:
            first(cid, "retention", at, order_id)
    for key, cid, at, score in wh.query(f"select contact_key, customer360_id, contacted_at, nps_score "
                                        f"from {silver}.slv_customer_service_contacts "
                                        f"where contact_source = 'nps_response'"):
        at = naive(at)
        if score is not None and score >= 9 and cid in first_order_at and at >= first_order_at[cid]:
            first(cid, "advocacy", at, key)

    transitions: dict[str, list[tuple]] = {}
    for cid, reached in milestones.items():
        if cid not in served:
            continue
        highest, rows = 0, []
        for at, order, stage in sorted((at, STAGES.index(s) + 1, s) for s, (at, _) in reached.items()):
            if order > highest:
                rows.append((rows[-1][1] if rows else None, stage, at))
                highest = order
        transitions[cid] = rows
    return transitions


def test_stage_transitions_and_stages_match_the_rules(wh: Warehouse) -> None:
    want = expected_transitions(wh)
    got: dict[str, list[tuple]] = defaultdict(list)
    for cid, from_stage, to_stage, at in wh.query(
            f"select customer360_id, from_stage, to_stage, transitioned_at "
            f"from {wh.schema('gold')}.fct_journey_stage_transitions"):
        got[cid].append((from_stage, to_stage, naive(at)))
    for rows in got.values():
        rows.sort(key=lambda r: (r[2], STAGES.index(r[1])))
    assert len(want) > 1000
    assert dict(got) == want

    stages = dict(wh.query(f"select customer360_id, journey_stage from {wh.schema('gold')}.fct_customer_journey_stage"))
    assert stages == {cid: rows[-1][1] for cid, rows in want.items()}
    counts = Counter(stages.values())
    assert set(counts) == set(STAGES), counts  # the sample reaches every stage


@pytest.mark.postgres
def test_both_engines_agree_on_the_headline_figures(duckdb_warehouse, postgres_warehouse) -> None:
    queries = [
        "select journey_type, count(*), sum(touches), sum(path_steps) from {gold}.fct_customer_journeys "
        "group by journey_type",
        "select touch_path, journeys, conversions, revenue from {gold}.mart_journey_paths",
        "select journey_stage, count(*) from {gold}.fct_customer_journey_stage group by journey_stage",
    ]

    def norm(rows):
        return sorted(tuple(round(float(x), 2) if isinstance(x, (float, Decimal)) else x for x in r) for r in rows)

    for sql in queries:
        d = duckdb_warehouse.query(sql.format(gold=duckdb_warehouse.schema("gold")))
        p = postgres_warehouse.query(sql.format(gold=postgres_warehouse.schema("gold")))
        assert norm(d) == norm(p), sql
