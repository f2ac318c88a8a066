"""Every analysis in analyses/ compiles and runs on both engines and returns rows on the sample.

dbt compiles analyses but never runs them, so a broken analysis would go unnoticed: this test compiles
them against the warehouse the suite built (same schema prefix) and executes the compiled SQL. The DDA queries
(dda_01, 02, 03, 05) are also compared row by row with values recomputed in Python from the raw sample (below).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse_util import ROOT, SAMPLE_AS_OF, default_duckdb_path, default_schema

ANALYSES = sorted(p.stem for p in (ROOT / "analyses").glob("*.sql"))
# analyses that may legitimately return nothing on the sample
MAY_BE_EMPTY = {"identity_clusters_to_review"}


def compile_analyses(target: str, out: Path) -> dict[str, str]:
    env = {**os.environ, "DBT_TARGET_PATH": str(out), "DBT_LOG_PATH": str(out / "logs"),
           "DBT_SCHEMA": default_schema(), "DUCKDB_PATH": str(default_duckdb_path())}
    cmd = [sys.executable, str(ROOT / "scripts" / "dbt_run.py"), "compile", "--select", "path:analyses",
           "--target", target, "--no-populate-cache", "--vars", f'{{as_of: "{SAMPLE_AS_OF}"}}']
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"dbt compile of analyses failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"
    compiled = out / "compiled" / "customer_analytics" / "analyses"
    return {p.stem: p.read_text() for p in compiled.glob("*.sql")}


@pytest.fixture(scope="module")
def compiled_duckdb(duckdb_warehouse, tmp_path_factory):
    return compile_analyses("dev", tmp_path_factory.mktemp("analyses_duckdb"))


@pytest.fixture(scope="module")
def compiled_postgres(postgres_warehouse, tmp_path_factory):
    return compile_analyses("pg", tmp_path_factory.mktemp("analyses_pg"))


def test_every_analysis_is_compiled(compiled_duckdb):
    assert sorted(compiled_duckdb) == ANALYSES


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_runs_on_duckdb(name, compiled_duckdb, duckdb_warehouse):
    rows = duckdb_warehouse.query(compiled_duckdb[name])
    assert rows or name in MAY_BE_EMPTY, f"{name} returned no rows on the sample"


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_runs_on_postgres(name, compiled_postgres, postgres_warehouse, duckdb_warehouse, compiled_duckdb):
    rows = postgres_warehouse.query(compiled_postgres[name])
    assert rows or name in MAY_BE_EMPTY, f"{name} returned no rows on the sample"
    # same data, same answer: both engines return the same number of rows
    assert len(rows) == len(duckdb_warehouse.query(compiled_duckdb[name]))


# ------------------------------------------------------------------------------------------------------------------
# The DDA queries against values computed outside SQL
#
# Each DDA analysis is recomputed here in plain Python from the raw sample CSVs (seeds/sample/) with the DDA's rules
# (rejected rows dropped, the GEN-03 5-year retention cutoff from as_of, amounts in the reporting currency at the
# order month's rate of seeds/reference/fx_rates.csv) and compared row by row: every expected row must be in the
# analysis (a missing row fails), with the same values, amounts to the cent. The helpers are the ones of the other
# raw recomputations (test_marketing_rfm_cohorts: completed orders, RFM; test_marketing_performance: accepted rows,
# KPI ratios), not a second copy.
#
# Two inputs come from the built warehouse, as in those tests: the rejected rows (dq_rejected_rows, matched by row
# hash, so a change of the rules' outcome shows as a count mismatch in test_warehouse.py) and identity, the built
# slv_customer_id_map. The analyses run on the resolved identity, so the generator's ground truth
# (tests/fixtures/sample_truth/person_map.csv) would differ wherever resolution does; test_identity.py scores the
# map against that truth.
# ------------------------------------------------------------------------------------------------------------------
import collections  # noqa: E402
from datetime import date, datetime  # noqa: E402
from decimal import ROUND_HALF_UP, Decimal  # noqa: E402

import yaml  # noqa: E402

import test_marketing_performance as perf  # noqa: E402
import test_marketing_rfm_cohorts as rfm  # noqa: E402
from warehouse_util import Warehouse, fx_to_reporting  # noqa: E402

CENT = Decimal("0.01")
PROJECT_VARS = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def engine(request) -> tuple[Warehouse, dict[str, str]]:
    """(warehouse, compiled analyses) of one engine."""
    wh = request.getfixturevalue(f"{request.param}_warehouse")
    return wh, request.getfixturevalue("compiled_duckdb" if request.param == "duckdb" else "compiled_postgres")


def run_analysis(engine, name: str, key: list[str]) -> tuple[list[str], dict[tuple, dict]]:
    """The analysis's rows by the values of the `key` columns (the key must be unique)."""
    wh, compiled = engine
    sql = compiled[name]
    if wh.engine == "duckdb":
        cursor = wh.conn.execute(sql)
        names, rows = [d[0] for d in cursor.description], cursor.fetchall()
    else:
        with wh.conn.cursor() as cur:
            cur.execute(sql)
            names, rows = [d[0] for d in cur.description], cur.fetchall()
    by_key = {tuple(row[c] for c in key): row for row in (dict(zip(names, r)) for r in rows)}
    assert len(by_key) == len(rows), f"{name}: key {key} is not unique"
    return names, by_key


def compare(name: str, expected: dict[tuple, dict], actual: dict[tuple, dict], tolerance: dict[str, Decimal]):
    """Left join from the expected rows: a missing row or a differing value fails; so does an unexpected row."""
    problems = []
    for key, want in sorted(expected.items(), key=lambda kv: str(kv[0])):
        have = actual.get(key)
        if have is None:
            problems.append((key, "missing"))
            continue
        for column, value in want.items():
            got = have[column]
            if value is None or got is None:
                ok = value is None and got is None
            elif isinstance(value, (Decimal, float)):
                ok = abs(Decimal(str(got)) - Decimal(str(value))) <= tolerance.get(column, CENT / 2)
            else:
                ok = got == value
            if not ok:
                problems.append((key, column, got, value))
    problems += [(key, "unexpected") for key in actual if key not in expected]
    assert not problems, f"{name}: {len(problems)} differences, e.g. {problems[:5]}"


def avg(values) -> Decimal:
    values = list(values)
    return Decimal(sum(values)) / len(values)


def crm_id_map(wh: Warehouse) -> dict[str, str]:
    """CRM customer id -> customer360_id, from the built identity map."""
    return {i: c for s, i, c in wh.query(f"select source_system, source_id, customer360_id "
                                         f"from {wh.schema('silver')}.slv_customer_id_map") if s == "crm"}


def crm_segments(wh: Warehouse, id_map: dict[str, str]) -> dict[str, str]:
    """customer360_id -> CRM segment of the golden record (README, identity: most trusted system, then most
    recent): of the customer's accepted CRM records with a segment, the one updated last (ties: the lower CRM id)."""
    candidates: dict[str, list] = collections.defaultdict(list)
    for r in rfm.accepted_rows(wh, "crm_customers"):
        crm_id = r["customer_id"].strip()
        if crm_id in id_map and r["customer_segment"].strip():
            candidates[id_map[crm_id]].append((rfm.parse_utc(r["updated_at"]), crm_id, r["customer_segment"].strip()))
    assert any(len({t[2] for t in v}) > 1 for v in candidates.values())  # the sample exercises the survivorship
    return {c: min(v, key=lambda t: (-t[0].timestamp(), t[1]))[2] for c, v in candidates.items()}


def test_dda_01_lifetime_value_by_segment_matches_python(engine):
    """Every served customer in one primary segment: with a completed order, the RFM segment (recomputed from the
    raw orders), else the golden record's CRM segment (crm_<segment>, crm_unsegmented without one). Per segment:
    customers, share of all customers, average revenue to date and completed orders. The population is the built
    slv_served_customers (the served-customer rule: a golden record known inside the retention window, which needs
    every source's last sighting; test_customer360.py checks it), and lifetime value is not recomputed (the
    next-year prediction of the score model)."""
    wh, _ = engine
    served = {c for (c,) in wh.query(f"select customer360_id from {wh.schema('silver')}.slv_served_customers")}
    orders = rfm.completed_orders(wh)
    rfm_segment = {c: v[6] for c, v in rfm.expected_rfm(orders).items()}
    assert set(rfm_segment) <= served
    crm = crm_segments(wh, crm_id_map(wh))
    revenue: dict[str, Decimal] = collections.defaultdict(Decimal)
    count: dict[str, int] = collections.Counter()
    for o in orders:
        revenue[o.customer] += o.value
        count[o.customer] += 1
    by_code: dict[str, list[str]] = collections.defaultdict(list)
    for customer in served:
        if customer in rfm_segment:
            code = "rfm_" + "_".join(rfm_segment[customer].lower().replace("'", "").split())
        else:
            code = "crm_" + crm.get(customer, "Unsegmented").lower()
        by_code[code].append(customer)
    expected = {(code,): {"customers": len(customers),
                          "share_of_customers": Decimal(len(customers)) / len(served),
                          "avg_revenue_to_date": avg(revenue[c] for c in customers),
                          "avg_completed_orders": avg(count[c] for c in customers)}
                for code, customers in by_code.items()}
    _, actual = run_analysis(engine, "dda_01_lifetime_value_by_segment", ["segment_code"])
    compare("dda_01", expected, actual, {"avg_completed_orders": Decimal("0.000001"),
                                         "share_of_customers": Decimal("0.000001")})
    assert sum(1 for (code,) in expected if code.startswith("rfm_")) >= 5  # the sample fills most RFM segments


def test_dda_02_campaign_performance_by_type_matches_python(engine):
    """Per campaign type, the accepted metrics rows inside the vars' date range (both ends), the retention window
    and before as_of: campaigns, days with metrics, first and last day, totals and the KPI ratios (scales of the
    marts). Metrics rows of a campaign whose record was rejected are rejected too (PRF-02), so every row has a
    type."""
    wh, _ = engine
    start = date.fromisoformat(PROJECT_VARS["dda_02_start_date"])
    end = date.fromisoformat(PROJECT_VARS["dda_02_end_date"])
    types = {r["campaign_id"].strip(): r["campaign_type"].strip() for r in perf.accepted_rows(wh, "campaigns")}
    groups: dict[str, list[dict]] = collections.defaultdict(list)
    for r in perf.accepted_rows(wh, "campaign_performance"):
        day = date.fromisoformat(r["metric_date"].strip())
        if start <= day <= end and perf.RETENTION_CUTOFF.date() <= day < perf.AS_OF.date():
            groups[types[r["campaign_id"].strip()]].append(r)
    expected = {}
    for campaign_type, rows in groups.items():
        t = {c: sum(int(r[c]) for r in rows) for c in ("impressions", "clicks", "conversions")}
        t |= {c: sum(Decimal(r[c]) for r in rows) for c in ("revenue", "cost")}
        days = [date.fromisoformat(r["metric_date"].strip()) for r in rows]
        expected[(campaign_type,)] = {
            "date_from": start, "date_to": end,
            "campaigns": len({r["campaign_id"].strip() for r in rows}), "days_with_metrics": len(set(days)),
            "first_metric_date": min(days), "last_metric_date": max(days), **t,
            "ctr": perf.ratio(t["clicks"], t["impressions"], 6), "cvr": perf.ratio(t["conversions"], t["clicks"], 6),
            "cpc": perf.ratio(t["cost"], t["clicks"], 4), "cpa": perf.ratio(t["cost"], t["conversions"], 4),
            "roas": perf.ratio(t["revenue"], t["cost"], 4)}
    _, actual = run_analysis(engine, "dda_02_campaign_performance_by_type_and_date_range", ["campaign_type"])
    # ratios: the warehouse rounds once to the column's scale, as perf.ratio does
    compare("dda_02", expected, actual,
            {"ctr": Decimal("0.000001"), "cvr": Decimal("0.000001"), "cpc": Decimal("0.0001"),
             "cpa": Decimal("0.0001"), "roas": Decimal("0.0001")})
    assert set(t for (t,) in expected) == {"Email", "Social", "Display", "Search"}


def test_dda_03_interaction_frequency_and_outcomes_matches_python(engine):
    """Accepted CRM interactions inside the retention window, of customers resolved through the id map, per CRM
    segment of the customer's accepted CRM record ('Unsegmented' without one) and type: customers, interactions,
    interactions per customer, average days between a customer's consecutive interactions of the type (calendar
    days), outcome shares and average duration."""
    wh, _ = engine
    cutoff = rfm.add_years(rfm.AS_OF, -rfm.RETENTION_YEARS)
    id_map = crm_id_map(wh)
    segment_of = crm_segments(wh, id_map)
    by_customer_type: dict[tuple, list] = collections.defaultdict(list)
    for r in rfm.accepted_rows(wh, "interactions"):
        at = rfm.parse_utc(r["interaction_at"])
        customer = id_map.get(r["customer_id"].strip())
        if customer is None or not cutoff <= at <= rfm.AS_OF:
            continue
        by_customer_type[(customer, r["interaction_type"].strip())].append(
            (at, r["outcome"].strip(), Decimal(r["duration_minutes"])))
    groups: dict[tuple, dict] = collections.defaultdict(lambda: {"customers": set(), "rows": [], "gaps": []})
    for (customer, kind), rows in by_customer_type.items():
        g = groups[(segment_of.get(customer, "Unsegmented"), kind)]
        g["customers"].add(customer)
        g["rows"] += rows
        times = sorted(at for at, _, _ in rows)
        g["gaps"] += [(b.date() - a.date()).days for a, b in zip(times, times[1:])]

    def share(rows, outcome):
        return (Decimal(sum(1 for _, o, _ in rows if o == outcome)) / len(rows)).quantize(Decimal("0.0001"),
                                                                                         ROUND_HALF_UP)

    expected = {}
    for key, g in groups.items():
        rows = g["rows"]
        expected[key] = {
            "customers": len(g["customers"]), "interactions": len(rows),
            "interactions_per_customer": (Decimal(len(rows)) / len(g["customers"])).quantize(CENT, ROUND_HALF_UP),
            "avg_days_between_interactions": avg(g["gaps"]).quantize(Decimal("0.1"), ROUND_HALF_UP) if g["gaps"]
            else None,
            "positive_rate": share(rows, "Positive"), "neutral_rate": share(rows, "Neutral"),
            "negative_rate": share(rows, "Negative"),
            "avg_duration_minutes": avg(d for _, _, d in rows).quantize(Decimal("0.1"), ROUND_HALF_UP),
        }
    _, actual = run_analysis(engine, "dda_03_interaction_frequency_and_outcomes", ["customer_segment", "interaction_type"])
    # values are rounded to their scale on both sides: they must agree to that last digit
    compare("dda_03", expected, actual, {"positive_rate": Decimal("0.0001"), "neutral_rate": Decimal("0.0001"),
                                         "negative_rate": Decimal("0.0001"), "avg_days_between_interactions":
                                         Decimal("0.1"), "avg_duration_minutes": Decimal("0.1"),
                                         "interactions_per_customer": CENT})
    assert {s for s, _ in expected} >= {"Standard", "Premium", "VIP"}


def test_dda_05_twelve_month_revenue_trend_matches_python(engine):
    """Completed orders (resolved customers, reporting currency) from the first day of the month eleven months
    before as_of's month to before as_of, per month: orders, customers, revenue, average order value, refunded
    amount (the order's accepted refunded payments at the order month's rate) and share of the twelve months."""
    wh, _ = engine
    rate = fx_to_reporting()
    refunded: dict[str, Decimal] = collections.defaultdict(Decimal)
    for r in rfm.accepted_rows(wh, "payments"):
        if r["status"].strip().lower() == "refunded":
            refunded[r["order_id"]] += Decimal(r["amount_cents"]) / 100
    first = rfm.month_start(rfm.month_index(rfm.AS_OF) - 11)
    months: dict[date, list] = collections.defaultdict(list)
    for o in rfm.completed_orders(wh):
        if datetime.combine(first, datetime.min.time()) <= o.ordered_at < rfm.AS_OF:
            refund = (refunded[o.order_id] * rate(o.currency, o.ordered_at)).quantize(CENT, ROUND_HALF_UP)
            months[date(o.ordered_at.year, o.ordered_at.month, 1)].append((o, refund))
    total = sum(o.value for rows in months.values() for o, _ in rows)
    expected = {}
    for month, rows in months.items():
        revenue = sum(o.value for o, _ in rows)
        expected[(month,)] = {
            "orders": len(rows), "customers": len({o.customer for o, _ in rows}), "revenue": revenue,
            "avg_order_value": (revenue / len(rows)).quantize(CENT, ROUND_HALF_UP),
            "refunded_amount": sum(refund for _, refund in rows),
            "share_of_twelve_months": (revenue / total).quantize(Decimal("0.0001"), ROUND_HALF_UP)}
    _, actual = run_analysis(engine, "dda_05_twelve_month_revenue_trend", ["order_month"])
    compare("dda_05", expected, actual,
            {"avg_order_value": CENT, "share_of_twelve_months": Decimal("0.0001")})
    assert len(expected) == 12, sorted(expected)  # the sample has orders in each of the twelve months
    # (the sample refunds only returned orders, which are not completed: refunded_amount is 0 in every month)
