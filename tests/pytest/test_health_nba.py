"""Customer health score and next best action against an independent recomputation (issue 12, parts 1b and 3).

Health: from the silver inputs slv_customer_health reads (the customers of slv_customer_activity, their events,
completed orders, the payments of their orders, their support tickets and NPS answers), Python recomputes every
customer's three components and the 0-100 score with the weights, targets and penalties declared in
dbt_project.yml (vars health_*), and compares them with slv_customer_health (1e-9) and dim_customer (the rounded
score and the band).

Next best action: from seed next_best_action_rules, the customers' action profiles (slv_customer_action_profiles),
their contactable channels and the cross-sell pairs, Python rebuilds the eligible actions; the test checks that no
action is proposed on a channel without a current opt-in, that ranks are 1..n, that every customer with an
eligible action has a rank 1 and no one else has a row, that the eligible actions and the rank-1 action agree, and
that the audience holds exactly the rank-1 rows. Both engines.
"""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import yaml

from warehouse_util import ROOT, SAMPLE_AS_OF, Warehouse

AS_OF = datetime.fromisoformat(SAMPLE_AS_OF.replace("Z", "+00:00")).replace(tzinfo=None)
VARS = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
TOL = 1e-9


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def wh(request) -> Warehouse:
    wh = request.getfixturevalue(f"{request.param}_warehouse")
    for schema, table in (("silver", "slv_customer_health"), ("gold", "fct_next_best_action"),
                          ("gold", "aud_next_best_action"), ("gold", "mart_customer_health_distribution")):
        assert wh.has_table(wh.schema(schema), table), f"{wh.schema(schema)}.{table} is missing: build it first"
    return wh


def naive(ts):
    return ts.replace(tzinfo=None) if ts is not None else None


# ------------------------------------------------------------------------------------------------ health
def expected_health(wh: Warehouse) -> dict[str, dict]:
    silver = wh.schema("silver")
    window = VARS["health_window_days"]
    support_window = VARS["health_support_window_days"]
    recent = AS_OF - timedelta(days=window)
    support_from = AS_OF - timedelta(days=support_window)
    customers = [r[0] for r in wh.query(f"select customer360_id from {silver}.slv_customer_activity")]

    last_visit, sessions, features = {}, defaultdict(set), defaultdict(set)
    for cid, at, etype, session, feature in wh.query(
            f"select customer360_id, event_at, event_type, session_id, feature_name from {silver}.slv_customer_events"):
        at = naive(at)
        if at <= recent:
            continue
        if session is not None:
            sessions[cid].add(session)
            last_visit[cid] = max(last_visit.get(cid, at), at)
        if etype == "feature_used" and feature is not None:
            features[cid].add(feature)

    order_customer, last_order, orders_recent = {}, {}, Counter()
    for oid, cid, at, completed in wh.query(
            f"select order_id, customer360_id, ordered_at, is_completed from {silver}.slv_customer_orders"):
        at = naive(at)
        order_customer[oid] = cid
        if completed:
            last_order[cid] = max(last_order.get(cid, at), at)
            if at > recent:
                orders_recent[cid] += 1

    ok, failed, failed_recent = Counter(), Counter(), Counter()
    for oid, status, paid_at in wh.query(f"select order_id, status, paid_at from {silver}.slv_payments"):
        cid = order_customer.get(oid)
        if cid is None:
            continue
        if status in ("success", "refunded"):
            ok[cid] += 1
        elif status == "failed":
            failed[cid] += 1
            if naive(paid_at) > recent:
                failed_recent[cid] += 1

    open_tickets, low_csat, latest_nps = Counter(), Counter(), {}
    for key, cid, source, at, resolved, csat, nps in wh.query(
            f"select contact_key, customer360_id, contact_source, contacted_at, resolved_at, csat_score, nps_score "
            f"from {silver}.slv_customer_service_contacts"):
        at = naive(at)
        if at <= support_from:
            continue
        if source == "support_ticket":
            open_tickets[cid] += resolved is None
            low_csat[cid] += csat is not None and csat <= VARS["health_low_csat_max"]
        elif source == "nps_response" and ((at, key) > latest_nps.get(cid, (datetime.min, ""))[:2]):
            latest_nps[cid] = (at, key, nps)

    uw, targets = VARS["health_usage_weights"], VARS["health_usage_targets"]
    penalties, weights = VARS["health_support_penalties"], VARS["health_score_weights"]
    out = {}
    for cid in customers:
        last = max([t for t in (last_visit.get(cid), last_order.get(cid)) if t is not None], default=None)
        days = (AS_OF.date() - last.date()).days if last is not None else None
        usage = (uw["recency"] * ((1 - min(max(days, 0), window) / window) if days is not None else 0)
                 + uw["sessions"] * min(len(sessions[cid]) / targets["sessions"], 1)
                 + uw["orders"] * min(orders_recent[cid] / targets["orders"], 1)
                 + uw["features"] * min(len(features[cid]) / targets["features"], 1))
        paid = ok[cid] + failed[cid]
        payment = (max(0.0, ok[cid] / paid - VARS["health_payment_failure_penalty"] * failed_recent[cid])
                   if paid else None)
        nps = latest_nps.get(cid)
        detractor = nps is not None and nps[2] is not None and nps[2] <= 6
        support = max(0.0, 1 - penalties["open_ticket"] * open_tickets[cid] - penalties["low_csat"] * low_csat[cid]
                      - penalties["detractor"] * detractor)
        parts = [(usage, weights["usage"]), (payment, weights["payments"]), (support, weights["support"])]
        score = 100 * sum(w * c for c, w in parts if c is not None) / sum(w for c, w in parts if c is not None)
        out[cid] = {"usage_score": usage, "payment_score": payment, "support_score": support,
                    "health_score_raw": score, "days_since_last_use": days}
    return out


def band(score: float) -> str:
    cut = VARS["health_band_cutoffs"]
    return "healthy" if score >= cut["healthy"] else "at_risk" if score < cut["at_risk"] else "neutral"


def test_health_score_agrees_with_an_independent_recomputation(wh: Warehouse) -> None:
    want = expected_health(wh)
    columns = ["usage_score", "payment_score", "support_score", "health_score_raw", "days_since_last_use"]
    got = {r[0]: r[1:] for r in wh.query(
        f"select customer360_id, {', '.join(columns)}, health_score, health_band "
        f"from {wh.schema('silver')}.slv_customer_health")}
    assert set(got) == set(want) and len(want) > 1000
    for cid, row in want.items():
        actual = dict(zip(columns + ["health_score", "health_band"], got[cid]))
        for column in columns:
            if row[column] is None:
                assert actual[column] is None, (cid, column, actual[column])
            else:
                assert actual[column] is not None and abs(float(actual[column]) - row[column]) <= TOL, \
                    (cid, column, actual[column], row[column])
        rounded = Decimal(repr(row["health_score_raw"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert abs(Decimal(str(actual["health_score"])) - rounded) <= Decimal("0.01"), (cid, actual, rounded)
        assert actual["health_band"] == band(float(actual["health_score"])), (cid, actual)


def test_dim_customer_serves_the_silver_score_and_band(wh: Warehouse) -> None:
    silver = dict((r[0], (float(r[1]), r[2])) for r in wh.query(
        f"select customer360_id, health_score, health_band from {wh.schema('silver')}.slv_customer_health"))
    gold = wh.query(f"select customer360_id, health_score, health_band from {wh.schema('gold')}.dim_customer")
    assert len(gold) > 1000
    for cid, score, hband in gold:
        assert (float(score), hband) == silver[cid], cid
        assert 0 <= float(score) <= 100


def test_distribution_mart_adds_up_to_dim_customer(wh: Warehouse) -> None:
    gold = wh.schema("gold")
    want = Counter()
    for score, stage in wh.query(f"select health_score, lifecycle_stage from {gold}.dim_customer"):
        floor = min(int(float(score) // 10) * 10, 90)
        want[(f"{floor}-{floor + 10}", stage)] += 1
    got = {(b, s): (n, float(share)) for b, s, n, share in wh.query(
        f"select health_bucket, lifecycle_stage, customers, share_of_customers "
        f"from {gold}.mart_customer_health_distribution")}
    assert {k: v[0] for k, v in got.items()} == dict(want)
    total = sum(want.values())
    for key, (n, share) in got.items():
        assert abs(share - n / total) <= 1e-6, key


# --------------------------------------------------------------------------------------- next best action
def rules() -> list[dict]:
    with open(ROOT / "seeds" / "reference" / "next_best_action_rules.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def matches(pattern: str, value: str) -> bool:
    return pattern == "*" or value in pattern.split("|")


def expected_actions(wh: Warehouse) -> dict[str, dict[str, dict]]:
    """customer -> action -> {channel, expected_value} of the eligible actions, recomputed."""
    silver, gold = wh.schema("silver"), wh.schema("gold")
    contactable = defaultdict(dict)
    for cid, channel, priority in wh.query(
            f"select customer360_id, channel, channel_priority from {silver}.slv_customer_channels where is_contactable"):
        contactable[cid][channel] = priority
    bought = defaultdict(set)
    for cid, product in wh.query(f"select distinct customer360_id, product_id from {silver}.slv_product_order_lines "
                                 f"where order_status = 'completed'"):
        bought[cid].add(product)
    pairs = defaultdict(list)
    for product, other, lift, confidence in wh.query(
            f"select product_id, cross_sell_product_id, lift, confidence from {gold}.mart_product_cross_sell "
            f"where lift > 1 and orders_together >= {VARS['nba_cross_sell_min_orders_together']}"):
        pairs[product].append((Decimal(str(lift)), Decimal(str(confidence)), other))
    best_lift = {}
    for cid, products in bought.items():
        candidates = [(-lift, -conf, other) for p in products for lift, conf, other in pairs[p] if other not in products]
        if candidates:
            best_lift[cid] = -min(candidates)[0]
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for cid, segment, stage, hband, buy, churn, eov in wh.query(
            f"select customer360_id, primary_segment, lifecycle_stage, health_band, propensity_to_buy, churn_risk, "
            f"expected_order_value from {silver}.slv_customer_action_profiles"):
        eov = Decimal(str(eov)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for rule in rules():
            if not (matches(rule["segment"], segment) and matches(rule["lifecycle_stage"], stage)
                    and matches(rule["health_band"], hband) and rule["channel"] in contactable[cid]):
                continue
            if rule["value_basis"] == "cross_sell" and cid not in best_lift:
                continue
            propensity = Decimal(str(churn if rule["propensity_basis"] == "churn_risk" else buy))
            value = eov * best_lift[cid] if rule["value_basis"] == "cross_sell" else eov
            value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            order = (int(rule["base_priority"]), contactable[cid][rule["channel"]], rule["rule_id"])
            current = out[cid].get(rule["action"])
            if current is None or order < current["order"]:
                out[cid][rule["action"]] = {"order": order, "channel": rule["channel"],
                                            "expected_value": float(propensity * value)}
    return out


def test_no_action_on_a_channel_without_consent(wh: Warehouse) -> None:
    scope_of = {channel: scope for scope, channel in VARS["marketing_consent_channels"].items()}
    opted_in = set(wh.query(f"select customer360_id, scope from {wh.schema('silver')}.slv_customer_consents "
                            f"where is_opted_in"))
    for model in ("fct_next_best_action", "aud_next_best_action"):
        rows = wh.query(f"select customer360_id, channel, consent_scope from {wh.schema('gold')}.{model}")
        assert rows, model
        bad = [r for r in rows if r[2] != scope_of[r[1]] or (r[0], r[2]) not in opted_in]
        assert bad == [], (model, bad[:5])


def test_ranks_contiguous_and_every_eligible_customer_has_rank_1(wh: Warehouse) -> None:
    want = expected_actions(wh)
    got = defaultdict(dict)
    for cid, rank, action, channel, value in wh.query(
            f"select customer360_id, action_rank, action, channel, expected_value "
            f"from {wh.schema('gold')}.fct_next_best_action"):
        got[cid][action] = (rank, channel, float(value))
    assert set(got) == {cid for cid, actions in want.items() if actions}, "customers with an eligible action"
    for cid, actions in got.items():
        assert sorted(r for r, _, _ in actions.values()) == list(range(1, len(actions) + 1)), cid
        assert set(actions) == set(want[cid]), (cid, actions, want[cid])
        for action, (rank, channel, value) in actions.items():
            assert channel == want[cid][action]["channel"], (cid, action)
            assert abs(value - want[cid][action]["expected_value"]) <= 1e-4, (cid, action, value, want[cid][action])
        # rank 1 is (one of) the most valuable eligible actions, and values never rise with the rank
        by_rank = [actions_value for _, actions_value in sorted((r, v) for r, _, v in actions.values())]
        assert by_rank == sorted(by_rank, reverse=True), (cid, actions)
        best = max(a["expected_value"] for a in want[cid].values())
        assert abs(by_rank[0] - best) <= 1e-4, (cid, actions, want[cid])


def test_audience_is_the_rank_1_actions(wh: Warehouse) -> None:
    gold = wh.schema("gold")
    best = set(wh.query(f"select customer360_id, action, channel from {gold}.fct_next_best_action where action_rank = 1"))
    audience = wh.query(f"select customer360_id, action, channel from {gold}.aud_next_best_action")
    assert len(audience) == len(set(audience)) == len(best)
    assert set(audience) == best
