"""Product analytics (models/gold/product) against an independent recomputation from the raw sample events.

The events a build accepted are the rows of seeds/sample/events.csv minus the rejected ones (hashed as staging
hashes them, exact copies collapsed, the (record_id, row_hash) pairs of dq_rejected_rows dropped), inside the
retention window up to the sample's as_of. From those rows, in plain Python, the test

* sessionizes every device's web and app events (30 minutes of silence or a landing from another traffic
  source start a new session; ties in time by event id), as macro sessionize is documented to;
* recomputes the page-view count, page types from the path, the p75 (interpolated) of LCP, INP and CLS and the
  good / needs improvement / poor shares per page type x device (mart_web_vitals);
* crash-free sessions and users per week and platform (mart_app_stability);
* DAU, WAU, MAU and stickiness on a few days (mart_product_usage_daily);
* per query searches and the share of searches with no product view after them in their session
  (mart_site_search), and the overall no-follow-up share;
* adopters per feature on the app (mart_feature_adoption).

Customer resolution is not recomputed here (tests/pytest/test_identity.py scores it): an event's user is the
customer360_id slv_customer_id_map gives its web user, else its CRM customer, else its device.
"""
from __future__ import annotations

import collections
import csv
import hashlib
import math
import re
from datetime import date, datetime, timedelta

import pytest
import yaml

from warehouse_util import ROOT, SAMPLE_AS_OF, Warehouse

SAMPLE = ROOT / "seeds" / "sample"
AS_OF = datetime.fromisoformat(SAMPLE_AS_OF.replace("Z", "+00:00")).replace(tzinfo=None)
RETENTION_CUTOFF = AS_OF.replace(year=AS_OF.year - 5)  # var dq_retention_years: 5
VARS = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
THRESHOLDS = VARS["web_vitals_thresholds"]
TIMEOUT = timedelta(minutes=VARS["session_timeout_minutes"])
TOL = 1e-9
# raw columns in the order stg_tracking__events hashes them
COLUMNS = ["event_id", "event_at", "event_type", "platform", "anonymous_id", "web_user_id", "customer_id", "page_url",
           "referrer", "utm_source", "utm_medium", "utm_campaign", "device_type", "order_id", "revenue", "product_id",
           "experiment_id", "variant", "feature_name", "search_query", "lcp_ms", "cls", "inp_ms"]
GOLD_TABLES = ["fct_page_views", "mart_web_vitals", "mart_app_stability", "mart_site_search",
               "mart_product_usage_daily", "mart_feature_adoption"]


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def wh(request) -> Warehouse:
    wh = request.getfixturevalue(f"{request.param}_warehouse")
    for table in GOLD_TABLES:
        assert wh.has_table(wh.schema("gold"), table), f"{wh.schema('gold')}.{table} is missing: build the warehouse"
    return wh


def clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def accepted_events(wh: Warehouse) -> list[dict]:
    rejected = set(wh.query(f"select record_id, row_hash from {wh.dq}.dq_rejected_rows "
                            f"where source_table = 'events'"))
    seen, rows = set(), []
    with open(SAMPLE / "events.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            row_hash = hashlib.md5("|".join(row[c] or "" for c in COLUMNS).encode()).hexdigest()
            if row_hash in seen:
                continue
            seen.add(row_hash)
            if (row["event_id"].strip(), row_hash) in rejected:
                continue
            rows.append(row)
    out = []
    for row in rows:
        at = datetime.strptime(row["event_at"].strip()[:19], "%Y-%m-%dT%H:%M:%S")
        if not (RETENTION_CUTOFF <= at <= AS_OF):
            continue
        lower = {c: (clean(row[c]) or "").lower() or None
                 for c in ("event_type", "platform", "device_type", "utm_source", "utm_medium", "utm_campaign")}
        out.append({**{c: clean(row[c]) for c in COLUMNS}, **lower, "event_at": at})
    return out


def sessionize(events: list[dict]) -> None:
    """Set 'session_id' on every visit event (web and app, not push messages), None on the others."""
    by_device = collections.defaultdict(list)
    for e in events:
        e["session_id"] = None
        if (e["platform"] in ("web", "ios", "android") and e["event_type"] not in ("push_sent", "push_open")
                and e["anonymous_id"]):
            by_device[e["anonymous_id"]].append(e)
    for device, rows in by_device.items():
        rows.sort(key=lambda e: (e["event_at"], e["event_id"]))
        number, previous = 0, None
        for e in rows:
            if any(e[c] for c in ("utm_source", "utm_medium", "utm_campaign")):
                source = "/".join(e[c] or "" for c in ("utm_source", "utm_medium", "utm_campaign"))
            else:
                source = e["referrer"]
            new = (previous is None or e["event_at"] > previous["event_at"] + TIMEOUT
                   or (source is not None and source != (previous["source"] or "")))
            number += 1 if new else 0
            e["source"] = source
            e["session_id"] = f"{device}-{number}"
            previous = e


def page_path(url: str) -> str:
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/?#]*", "", url.strip().lower())
    path = re.sub(r"[?#].*$", "", path).rstrip("/")
    return path or "/"


def page_type(path: str) -> str:
    if path == "/":
        return "home"
    rules = [("product_detail", ("/products/",)), ("product_listing", ("/category", "/collections")),
             ("search", ("/search",)), ("cart", ("/cart",)), ("checkout", ("/checkout",)),
             ("account", ("/account", "/login", "/signup")), ("promotion", ("/sale", "/offers")),
             ("content", ("/blog", "/guide")), ("help", ("/help", "/faq", "/contact"))]
    if path == "/products":
        return "product_listing"
    for name, prefixes in rules:
        if path.startswith(prefixes):
            return name
    return "other"


def p_cont(values: list[float], fraction: float) -> float | None:
    values = sorted(values)
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (position - low) * (values[high] - values[low])


def rating(value: float | None, metric: str) -> str | None:
    if value is None:
        return None
    good, poor = THRESHOLDS[metric]
    return "good" if value <= good else ("needs_improvement" if value <= poor else "poor")


@pytest.fixture(scope="module")
def visits(wh: Warehouse) -> list[dict]:
    """Accepted web and app visit events with their session and user (customer360_id)."""
    events = accepted_events(wh)
    sessionize(events)
    id_map = {(s, i): c for s, i, c in wh.query(
        f"select source_system, source_id, customer360_id from {wh.schema('silver')}.slv_customer_id_map")}
    out = []
    for e in events:
        user = (id_map.get(("ecom", e["web_user_id"])) or id_map.get(("crm", e["customer_id"]))
                or id_map.get(("anonymous", e["anonymous_id"])))
        if e["session_id"] and user:
            e["user"] = user
            e["channel"] = "web" if e["platform"] == "web" else "app"
            out.append(e)
    return out


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= TOL * max(1.0, abs(float(b)))


def test_web_vitals_p75_and_shares(wh: Warehouse, visits: list[dict]) -> None:
    views = [e for e in visits if e["event_type"] == "page_view"]
    assert wh.scalar(f"select count(*) from {wh.schema('gold')}.fct_page_views") == len(views)
    segments = collections.defaultdict(list)
    for e in views:
        segments[(page_type(page_path(e["page_url"])), e["device_type"] or "unknown")].append(e)
    metrics = {"lcp": "lcp_ms", "inp": "inp_ms", "cls": "cls"}
    columns = ["page_views"] + [f"{m}_p75{'' if m == 'cls' else '_ms'}" for m in metrics] + [
        f"{m}_{r}_share" for m in metrics for r in ("good", "needs_improvement", "poor")]
    got = {(r[0], r[1]): dict(zip(columns, r[2:])) for r in wh.query(
        f"select page_type, device_type, {', '.join(columns)} from {wh.schema('gold')}.mart_web_vitals")}
    assert set(got) == set(segments)
    for key, rows in segments.items():
        want = {"page_views": len(rows)}
        for m, raw in metrics.items():
            values = [float(e[raw]) for e in rows if e[raw] is not None]
            want[f"{m}_p75{'' if m == 'cls' else '_ms'}"] = p_cont(values, VARS["web_vitals_percentile"])
            for r in ("good", "needs_improvement", "poor"):
                want[f"{m}_{r}_share"] = (sum(1 for v in values if rating(v, raw) == r) / len(values)
                                          if values else None)
        for column, value in want.items():
            assert close(got[key][column], value), (key, column, got[key][column], value)


def test_app_crash_free_sessions_and_users(wh: Warehouse, visits: list[dict]) -> None:
    sessions = {}
    for e in visits:
        if e["channel"] != "app":
            continue
        s = sessions.setdefault(e["session_id"], {"start": e["event_at"], "platform": e["platform"],
                                                  "user": e["user"], "crashes": 0})
        s["start"] = min(s["start"], e["event_at"])
        s["crashes"] += e["event_type"] == "app_crash"
    weekly = collections.defaultdict(lambda: {"sessions": 0, "crashed": 0, "users": set(), "crashed_users": set()})
    for s in sessions.values():
        week = s["start"].date() - timedelta(days=s["start"].weekday())
        for platform in (s["platform"], "all"):
            w = weekly[(week, platform)]
            w["sessions"] += 1
            w["crashed"] += s["crashes"] > 0
            w["users"].add(s["user"])
            if s["crashes"]:
                w["crashed_users"].add(s["user"])
    got = {(r[0], r[1]): r[2:] for r in wh.query(
        f"select week_start, platform, app_sessions, crashed_sessions, crash_free_session_rate, app_users, "
        f"crash_free_user_rate from {wh.schema('gold')}.mart_app_stability")}
    assert set(got) == set(weekly)
    for key, w in weekly.items():
        n, crashed, rate, users, user_rate = got[key]
        assert (n, crashed, users) == (w["sessions"], w["crashed"], len(w["users"])), key
        assert close(rate, (w["sessions"] - w["crashed"]) / w["sessions"]), key
        assert close(user_rate, (len(w["users"]) - len(w["crashed_users"])) / len(w["users"])), key
    total = sum(w["sessions"] for (_, p), w in weekly.items() if p == "all")
    crashed = sum(w["crashed"] for (_, p), w in weekly.items() if p == "all")
    assert total == wh.scalar(f"select sum(app_sessions) from {wh.schema('gold')}.mart_app_stability "
                              f"where platform = 'all'")
    assert crashed == wh.scalar(f"select sum(crashed_sessions) from {wh.schema('gold')}.mart_app_stability "
                                f"where platform = 'all'")


@pytest.mark.parametrize("day", [date(2026, 6, 29), date(2026, 6, 1), date(2026, 4, 15)])
def test_dau_wau_mau_on_a_few_days(wh: Warehouse, visits: list[dict], day: date) -> None:
    active = collections.defaultdict(set)  # (platform, date) -> users
    for e in visits:
        active[(e["channel"], e["event_at"].date())].add(e["user"])
        active[("all", e["event_at"].date())].add(e["user"])

    def window(platform: str, days: int) -> int:
        return len(set().union(*(active[(platform, day - timedelta(days=i))] for i in range(days))))

    got = {r[0]: r[1:] for r in wh.query(
        f"select platform, dau, wau, mau, dau_mau_stickiness from {wh.schema('gold')}.mart_product_usage_daily "
        f"where activity_date = '{day.isoformat()}'")}
    assert set(got) == {"web", "app", "all"}
    for platform in ("web", "app", "all"):
        dau, wau, mau = (len(active[(platform, day)]), window(platform, VARS["product_wau_days"]),
                         window(platform, VARS["product_mau_days"]))
        assert got[platform][:3] == (dau, wau, mau), (platform, got[platform], (dau, wau, mau))
        assert close(got[platform][3], dau / mau if mau else None), platform


def test_search_follow_up(wh: Warehouse, visits: list[dict]) -> None:
    by_session = collections.defaultdict(list)
    for e in visits:
        by_session[e["session_id"]].append(e)
    per_query = collections.defaultdict(lambda: [0, 0, 0])  # searches, with product view, with purchase
    for e in visits:
        if e["event_type"] != "search" or not e["search_query"]:
            continue
        query = " ".join(e["search_query"].lower().split())
        key = (e["event_at"], e["event_id"])
        views = sorted((o["event_at"], o["event_id"]) for o in by_session[e["session_id"]]
                       if o["event_type"] == "product_view" and (o["event_at"], o["event_id"]) > key)
        bought = bool(views) and any(o["event_type"] == "purchase" and (o["event_at"], o["event_id"]) > views[0]
                                     for o in by_session[e["session_id"]])
        counts = per_query[query]
        counts[0] += 1
        counts[1] += bool(views)
        counts[2] += bought
    got = {r[0]: r[1:] for r in wh.query(
        f"select search_query, searches, searches_with_product_view, searches_with_purchase, no_follow_up_share "
        f"from {wh.schema('gold')}.mart_site_search")}
    assert set(got) == set(per_query)
    for query, (n, viewed, bought) in per_query.items():
        assert got[query][:3] == (n, viewed, bought), (query, got[query], (n, viewed, bought))
        assert close(got[query][3], (n - viewed) / n), query
    searches = sum(c[0] for c in per_query.values())
    no_follow_up = sum(c[0] - c[1] for c in per_query.values())
    overall = wh.scalar(f"select 1.0 * sum(searches_without_follow_up) / sum(searches) "
                        f"from {wh.schema('gold')}.mart_site_search")
    assert close(overall, no_follow_up / searches)


def test_feature_adopters_on_the_app(wh: Warehouse, visits: list[dict]) -> None:
    app_users = {e["user"] for e in visits if e["channel"] == "app"}
    adopters = collections.defaultdict(set)
    for e in visits:
        if e["channel"] == "app" and e["event_type"] == "feature_used" and e["feature_name"]:
            adopters[e["feature_name"]].add(e["user"])
    got = {r[0]: r[1:] for r in wh.query(
        f"select feature_name, active_users, adopters, adoption_rate from {wh.schema('gold')}.mart_feature_adoption "
        f"where platform_scope = 'app'")}
    assert set(got) == set(adopters)
    for feature, users in adopters.items():
        assert got[feature][:2] == (len(app_users), len(users)), feature
        assert close(got[feature][2], len(users) / len(app_users)), feature
