"""RFM segmentation and cohort retention recomputed in plain Python from the raw sample CSVs.

mart_customer_segmentation (recency, frequency, monetary, the three scores, the segment) and mart_customer_cohorts
(cohort size, active customers, retention, revenue, cumulative revenue per customer, stage, quality) are
derived here from seeds/sample/{orders,order_items,payments}.csv and the rule seed
seeds/reference/rfm_segment_rules.csv, with the project's documented rules re-implemented independently
(no SQL of the project is reused), and compared with the warehouse row by row, on DuckDB and on Postgres.

Two inputs are read from the built warehouse because re-deriving them would mean re-implementing whole
layers that other tests already check:
* ``slv_customer_id_map`` (source system + source id -> customer360_id): identity resolution, scored against
  the generator's ground truth by test_identity.py;
* the rejected raw rows of ``dq_rejected_rows`` (their ``row_hash``, the md5 of the raw columns joined by
  '|'): the quality rules of the DDA, checked by test_warehouse.py. A row is dropped only if its hash
  matches, and every rejected hash must match a raw row, so the hash recipe cannot silently drift.
"""
from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from warehouse_util import ROOT, SAMPLE_AS_OF, Warehouse, duckdb_warehouse, fx_to_reporting, postgres_warehouse  # noqa: F401

AS_OF = datetime.fromisoformat(SAMPLE_AS_OF.replace("Z", "+00:00")).replace(tzinfo=None)
RETENTION_YEARS = 5  # var dq_retention_years
BINS = 5  # var rfm_bins
QUALITY_MONTH, QUALITY_BAND = 3, Fraction(1, 5)  # vars cohort_quality_period, cohort_quality_band
STAGES = [("Acquisition", 0), ("Activation", 3), ("Retention", 6), ("Revenue", 12), ("Referral", None)]
HALF_CENT = Decimal("0.005")  # amounts are stored rounded to cents


# ------------------------------------------------------------------ raw data
def read_csv(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(ROOT / "seeds" / "sample" / f"{name}.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def row_hash(columns: list[str], row: dict[str, str]) -> str:
    return hashlib.md5("|".join(row[c] for c in columns).encode("utf-8")).hexdigest()


def accepted_rows(wh: Warehouse, table: str) -> list[dict[str, str]]:
    """The raw rows of a table minus the rejected ones (by row hash), exact duplicates collapsed."""
    columns, rows = read_csv(table)
    rejected = {h for (h,) in wh.query(f"select distinct row_hash from {wh.dq}.dq_rejected_rows "
                                       f"where source_table = '{table}'")}
    hashes = {row_hash(columns, r) for r in rows}
    assert rejected <= hashes, f"{table}: rejected row hashes not found in the raw CSV (hash recipe changed?)"
    kept, seen = [], set()
    for r in rows:
        h = row_hash(columns, r)
        if h not in rejected and h not in seen:
            seen.add(h)
            kept.append(r)
    return kept


def parse_utc(text: str) -> datetime:
    """ISO 8601 with Z or an offset -> naive UTC."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc).replace(tzinfo=None)


def add_years(d: datetime, years: int) -> datetime:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


@dataclass
class Order:
    customer: str
    ordered_at: datetime
    value: Decimal  # reporting currency, rounded to the cent
    order_id: str
    currency: str


def completed_orders(wh: Warehouse) -> list[Order]:
    """Completed orders of resolved customers up to as_of inside the retention window, valued like
    slv_orders documents: accepted lines (quantity x price - discount), else successful payments, converted to
    the reporting currency at the rate of the order's month (seed fx_rates)."""
    rate = fx_to_reporting()
    id_map = {(s, i): c for s, i, c in wh.query(
        f"select source_system, source_id, customer360_id from {wh.schema('silver')}.slv_customer_id_map")}
    lines: dict[str, Decimal] = defaultdict(Decimal)
    has_lines: set[str] = set()
    for r in accepted_rows(wh, "order_items"):
        discount = Decimal(r["discount_amount"]) if r["discount_amount"] else Decimal(0)
        lines[r["order_id"]] += Decimal(r["quantity"]) * Decimal(r["unit_price"]) - discount
        has_lines.add(r["order_id"])
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for r in accepted_rows(wh, "payments"):
        if r["status"].strip().lower() == "success" and parse_utc(r["paid_at"]) <= AS_OF:
            paid[r["order_id"]] += Decimal(r["amount_cents"]) / 100
    cutoff = add_years(AS_OF, -RETENTION_YEARS)
    orders = []
    for r in accepted_rows(wh, "orders"):
        ordered_at = parse_utc(r["ordered_at"])
        if r["status"].strip().lower() != "completed" or not cutoff <= ordered_at <= AS_OF:
            continue
        customer = next((id_map[(system, r[col])] for system, col in
                         (("crm", "customer_id"), ("loyalty", "loyalty_id"), ("ecom", "web_user_id"))
                         if r[col] and (system, r[col]) in id_map), None)
        if customer is None:
            continue
        value = lines[r["order_id"]] if r["order_id"] in has_lines else paid.get(r["order_id"], Decimal(0))
        converted = (value * rate(r["currency"], ordered_at)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        orders.append(Order(customer, ordered_at, converted, r["order_id"], r["currency"]))
    return orders


# ----------------------------------------------------------------------- RFM
def scores(values: dict[str, object], worst_first_key) -> dict[str, int]:
    """1 + floor(BINS * (rank - 1) / n), rank = 1 + number of customers with a strictly worse value."""
    n = len(values)
    ordered = sorted(values.values(), key=worst_first_key)
    first_position: dict[object, int] = {}
    for position, v in enumerate(ordered, start=1):
        first_position.setdefault(v, position)
    return {c: 1 + (BINS * (first_position[v] - 1)) // n for c, v in values.items()}


def segment_rules() -> list[dict[str, str]]:
    with open(ROOT / "seeds" / "reference" / "rfm_segment_rules.csv", newline="", encoding="utf-8") as fh:
        return sorted(csv.DictReader(fh), key=lambda r: int(r["priority"]))


def segment_of(r: int, f: int, m: int, rules: list[dict[str, str]]) -> str:
    for rule in rules:
        if (int(rule["r_min"]) <= r <= int(rule["r_max"]) and int(rule["f_min"]) <= f <= int(rule["f_max"])
                and int(rule["m_min"]) <= m <= int(rule["m_max"])):
            return rule["segment"]
    return "Others"


def expected_rfm(orders: list[Order]) -> dict[str, tuple]:
    last: dict[str, datetime] = {}
    frequency: dict[str, int] = defaultdict(int)
    monetary: dict[str, Decimal] = defaultdict(Decimal)
    for o in orders:
        last[o.customer] = max(last.get(o.customer, o.ordered_at), o.ordered_at)
        frequency[o.customer] += 1
        monetary[o.customer] += o.value
    recency = {c: (AS_OF.date() - t.date()).days for c, t in last.items()}
    r = scores(recency, lambda v: -v)  # most days first
    f = scores(dict(frequency), lambda v: v)
    m = scores(dict(monetary), lambda v: v)
    rules = segment_rules()
    return {c: (recency[c], frequency[c], monetary[c], r[c], f[c], m[c], segment_of(r[c], f[c], m[c], rules))
            for c in recency}


# -------------------------------------------------------------------- cohorts
def month_index(d: date | datetime) -> int:
    return d.year * 12 + d.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def expected_cohorts(orders: list[Order]) -> dict[tuple[date, int], tuple]:
    first: dict[str, int] = {}
    for o in orders:
        first[o.customer] = min(first.get(o.customer, month_index(o.ordered_at)), month_index(o.ordered_at))
    size: dict[int, int] = defaultdict(int)
    for c, m in first.items():
        size[m] += 1
    active: dict[tuple[int, int], set] = defaultdict(set)
    revenue: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for o in orders:
        key = (first[o.customer], month_index(o.ordered_at) - first[o.customer])
        active[key].add(o.customer)
        revenue[key] += o.value
    last_month = month_index(AS_OF)

    def complete(cohort: int, n: int) -> bool:
        return datetime.combine(month_start(cohort + n + 1), datetime.min.time()) <= AS_OF

    mature = [c for c in size if complete(c, QUALITY_MONTH)]
    pooled = Fraction(sum(len(active[(c, QUALITY_MONTH)]) for c in mature), sum(size[c] for c in mature) or 1)
    rows = {}
    for cohort, n_customers in size.items():
        if not complete(cohort, QUALITY_MONTH):
            quality = "Immature"
        else:
            retention = Fraction(len(active[(cohort, QUALITY_MONTH)]), n_customers)
            quality = ("Average" if pooled == 0 else "High" if retention >= (1 + QUALITY_BAND) * pooled
                       else "Low" if retention <= (1 - QUALITY_BAND) * pooled else "Average")
        cumulative = Decimal(0)
        for n in range(last_month - cohort + 1):
            cumulative += revenue[(cohort, n)]
            stage = next(name for name, bound in STAGES if bound is None or n <= bound)
            rows[(month_start(cohort), n)] = (n_customers, len(active[(cohort, n)]),
                                              Fraction(len(active[(cohort, n)]), n_customers),
                                              revenue[(cohort, n)], cumulative / n_customers, stage, quality)
    return rows


# ---------------------------------------------------------------------- tests
@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def warehouse(request) -> Warehouse:
    return request.getfixturevalue(f"{request.param}_warehouse")


@pytest.fixture(scope="module")
def orders(warehouse: Warehouse) -> list[Order]:
    return completed_orders(warehouse)


def close(actual, expected: Decimal, tolerance: Decimal) -> bool:
    """actual (rounded by the warehouse) is expected rounded to the tolerance's precision."""
    return abs(Decimal(str(actual)) - expected) <= tolerance


def test_rfm_scores_and_segments_match_python(warehouse: Warehouse, orders: list[Order]):
    expected = expected_rfm(orders)
    rows = warehouse.query(f"select customer360_id, recency_days, frequency, monetary, r_score, f_score, m_score, "
                           f"rfm_score, rfm_segment from {warehouse.schema('gold')}.mart_customer_segmentation")
    actual = {r[0]: r[1:] for r in rows}
    assert len(rows) == len(actual) and set(actual) == set(expected)
    mismatches = []
    for c, (recency, frequency, monetary, r, f, m, segment) in expected.items():
        a = actual[c]
        if (a[0], a[1], a[3], a[4], a[5], a[6], a[7]) != (recency, frequency, r, f, m, f"{r}{f}{m}", segment) \
                or not close(a[2], monetary, HALF_CENT):
            mismatches.append((c, a, (recency, frequency, monetary, r, f, m, segment)))
    assert not mismatches, f"{len(mismatches)} customers differ, e.g. {mismatches[:3]}"
    # the sample exercises the tie rule: many customers share a frequency, hence a score
    assert sum(1 for v in expected.values() if v[1] == 1) > len(expected) / 5


def test_cohort_retention_matrix_matches_python(warehouse: Warehouse, orders: list[Order]):
    expected = expected_cohorts(orders)
    rows = warehouse.query(
        f"select cohort_month, months_since_first_purchase, cohort_size, active_customers, retention_rate, "
        f"cohort_revenue, cumulative_revenue_per_customer, retention_stage, cohort_quality "
        f"from {warehouse.schema('gold')}.mart_customer_cohorts")
    actual = {(r[0], r[1]): r[2:] for r in rows}
    assert len(rows) == len(actual) and set(actual) == set(expected)
    mismatches = []
    for key, (size, active, retention, revenue, per_customer, stage, quality) in expected.items():
        a = actual[key]
        if ((a[0], a[1], a[5], a[6]) != (size, active, stage, quality)
                or abs(Fraction(Decimal(str(a[2]))) - retention) > Fraction(1, 2_000_000)
                or not close(a[3], revenue, HALF_CENT)
                or not close(a[4], per_customer, HALF_CENT)):
            mismatches.append((key, a, expected[key]))
    assert not mismatches, f"{len(mismatches)} cells differ, e.g. {mismatches[:3]}"
    # the matrix is not trivial: retention drops below 1 after month 0 and some customers come back later
    assert any(0 < v[2] < 1 for (c, n), v in expected.items() if n >= 3)
