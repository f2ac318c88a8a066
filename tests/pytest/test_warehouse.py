"""End-to-end checks of the built warehouse on the sample data, on DuckDB and Postgres.

The sample seeds were produced by scripts/generate_raw.py, which also wrote the
ground truth in tests/fixtures/sample_truth/: every record broken on purpose,
with the one rule it breaks. The warehouse must reject exactly those rows, rule
by rule, collapse exactly the injected exact duplicates, account for every raw
row, and report `fail` in dq_rule_summary for exactly the thresholds the sample
breaches on purpose.

The warehouses are the ones `make test` builds (DUCKDB_PATH, DBT_SCHEMA); when
missing, the `warehouse` fixture builds them first.
"""
from __future__ import annotations

import collections
import csv
import json

import pytest

from warehouse_util import ROOT, TRUTH_DIR, Warehouse

SAMPLE_DIR = ROOT / "seeds" / "sample"

# Thresholds the sample data breaches on purpose (dq_rule_summary.status = 'fail').
EXPECTED_FAILS = {
    # a handful of bad rows is more than 1 % of the 41 campaigns and 61 products
    *[(f"CMP-0{i}", "Campaign") for i in range(1, 7)],
    ("GEN-02", "Campaign"),
    *[(f"PRD-0{i}", "Product") for i in range(1, 4)],
    ("GEN-02", "Product"),
    # customers and interactions are generated with 2 % bad rows
    ("GEN-02", "Customer"),
    ("GEN-02", "Customer Interaction"),
    # 4 bad rows out of 310 NPS responses, and 5 more of rejected CRM customers (NPS-04): 6 NPS-04 rows are 1.9 %
    ("GEN-02", "NPS Response"),
    ("NPS-04", "NPS Response"),
    # the children of rejected parents push these over 1 % of their distinct rows (under it as injected):
    # order lines 45 broken + 39 of rejected orders of 7555 (1.1 %; OIT-02 alone 48, 0.6 %: warn),
    # payments 30 + 20 of rejected orders of 4627 (1.1 %; PAY-02 25, 0.5 %: warn),
    # tickets 6 + 8 of rejected CRM customers of 741 (1.9 %; SUP-06 alone 9, 1.2 %)
    ("GEN-02", "Order Item"),
    ("GEN-02", "Payment"),
    ("GEN-02", "Support Ticket"),
    ("SUP-06", "Support Ticket"),
    # one Active campaign stopped reporting three days before "now"
    ("PRF-06", "Campaign Performance"),
    # the metrics of the campaigns whose record was rejected are rejected too (PRF-02): 13 % of the metrics rows
    ("PRF-02", "Campaign Performance"),
    ("GEN-02", "Campaign Performance"),
}


def truth_defects() -> list[dict]:
    with open(TRUTH_DIR / "injected_defects.csv", newline="") as fh:
        return list(csv.DictReader(fh))


# Every reference rule that rejects a child naming a rejected parent (INT-02, PRF-02: "references a valid customer /
# campaign"; the project's OIT-02, PAY-02, SUP-06, NPS-04 the same way; OIT-05 keeps the line, README): child table,
# its parent column, parent table, the parent's key-uniqueness rule, the child's rule.
PARENT_RULES = [("interactions", "customer_id", "crm_customers", "CUS-01", "INT-02"),
                ("campaign_performance", "campaign_id", "campaigns", "CMP-01", "PRF-02"),
                ("order_items", "order_id", "orders", "ORD-01", "OIT-02"),
                ("payments", "order_id", "orders", "ORD-01", "PAY-02"),
                ("support_tickets", "customer_id", "crm_customers", "CUS-01", "SUP-06"),
                ("nps_responses", "customer_id", "crm_customers", "CUS-01", "NPS-04")]
# the columns of a child's record id (dq_rejected_rows.record_id: joined with ':')
CHILD_KEY = {"interactions": ("interaction_id",), "campaign_performance": ("performance_id",),
             "order_items": ("order_id", "line_number"), "payments": ("payment_id",),
             "support_tickets": ("ticket_id",), "nps_responses": ("response_id",)}


def orphans_of_rejected_parents(raw_dir=SAMPLE_DIR, truth: list[dict] | None = None) -> collections.Counter:
    """(child table, record id, rule) of every raw child row (exact copies collapsed) whose parent record was
    rejected, computed from the raw CSVs and the generator's truth alone: a parent key is rejected when the truth
    breaks a record of it under a rule other than its key's uniqueness (a later duplicate leaves the first row
    accepted; each broken record breaks one rule). Default: the sample and its truth; else a delivery's."""
    truth = truth_defects() if truth is None else truth
    orphans: collections.Counter = collections.Counter()
    for child, column, parent, unique_rule, rule in PARENT_RULES:
        rejected = {d["record_id"] for d in truth
                    if d["source_table"] == parent and d["rule_id"] not in ("DUPLICATE", unique_rule)}
        seen = set()
        with open(raw_dir / f"{child}.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                copy = tuple(row.values())
                if copy in seen:
                    continue
                seen.add(copy)
                if row[column].strip() in rejected:
                    orphans[(child, ":".join(row[k].strip() for k in CHILD_KEY[child]), rule)] += 1
    return orphans


def expected_rejections() -> collections.Counter:
    """(table, record id, rule) of every rejection: the defects injected on purpose plus the children of rejected
    parents (which the generator does not list: it breaks records, their children follow from the rules)."""
    injected = collections.Counter((d["source_table"], d["record_id"], d["rule_id"])
                                   for d in truth_defects() if d["rule_id"] != "DUPLICATE")
    return injected + orphans_of_rejected_parents()


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def wh(request) -> Warehouse:
    return request.getfixturevalue(f"{request.param}_warehouse")


def test_rejected_rows_match_injected_defects_rule_by_rule(wh: Warehouse):
    expected = expected_rejections()
    got = collections.Counter(wh.query(f"select source_table, record_id, rule_id from {wh.dq}.dq_rejected_rows"))
    by_rule_expected = collections.Counter(rule for (_, _, rule), n in expected.items() for _ in range(n))
    by_rule_got = collections.Counter(rule for (_, _, rule), n in got.items() for _ in range(n))
    mismatched = {rule: (by_rule_expected[rule], by_rule_got[rule])
                  for rule in by_rule_expected | by_rule_got if by_rule_expected[rule] != by_rule_got[rule]}
    assert not mismatched, f"rule: (injected, rejected) {mismatched}"
    assert got == expected, f"missing {expected - got}, unexpected {got - expected}"
    assert len(by_rule_got) >= 70  # every row rule of every table was exercised


def test_collapsed_duplicates_match_injected_exact_duplicates(wh: Warehouse):
    expected = collections.Counter(d["source_table"] for d in truth_defects() if d["rule_id"] == "DUPLICATE")
    got = dict(wh.query(f"select source_table, collapsed_duplicates from {wh.dq}.dq_row_reconciliation"))
    assert {t: n for t, n in got.items() if n} == dict(expected)


def test_every_raw_row_is_accounted_for(wh: Warehouse):
    manifest = json.loads((TRUTH_DIR / "manifest.json").read_text())
    rows = wh.query(f"select source_table, raw_rows, accepted_rows, retained_rows, retired_rows, rejected_rows, "
                    f"collapsed_duplicates from {wh.dq}.dq_row_reconciliation")
    assert len(rows) == 14
    for table, raw, accepted, retained, retired, rejected, collapsed in rows:
        assert raw == manifest["rows"][table], table
        assert raw == accepted + rejected + collapsed and accepted == retained + retired, table
        # every accepted row of this delivery is a version in bronze (which also keeps earlier deliveries' versions)
        in_bronze = wh.scalar(f"select count(*) from {wh.bronze_table(table)} as b where exists ("
                              f"select 1 from {wh.staging_view(table)} as s where s._is_accepted "
                              f"and s._record_id = b._record_id and s._row_hash = b._row_hash)")
        assert in_bronze == accepted, table


def test_children_of_rejected_parents_are_rejected_not_kept(wh: Warehouse):
    """Referential integrity against the accepted parents (PARENT_RULES: INT-02, PRF-02, OIT-02, PAY-02, SUP-06,
    NPS-04): every child row whose parent record was rejected is rejected under the reference rule, as many as the
    CSVs and the truth give, and bronze keeps none."""
    orphans = orphans_of_rejected_parents()
    for child, column, parent, _, rule in PARENT_RULES:
        want = collections.Counter({k: n for k, n in orphans.items() if k[0] == child})
        got = collections.Counter(wh.query(
            f"select source_table, record_id, rule_id from {wh.dq}.dq_rejected_rows "
            f"where source_table = '{child}' and rule_id = '{rule}' and detail like '%names a rejected%'"))
        assert got == want, f"{child}: missing {want - got}, unexpected {got - want}"
        assert want, f"the sample has no {child} row of a rejected {parent} record: the test checks nothing"
        kept = wh.scalar(f"select count(*) from {wh.bronze_table(child)} as c where c._is_current and not exists ("
                         f"select 1 from {wh.bronze_table(parent)} as p where p._is_current and p.{column} = c.{column})")
        assert kept == 0, f"bronze {child}: {kept} current rows name no current {parent} record"


def truth_past_retention() -> list[dict]:
    """The records the generator dated before the retention window (past.py), clean but for their age."""
    with open(TRUTH_DIR / "past_retention.csv", newline="") as fh:
        return list(csv.DictReader(fh))


# where silver would hold a record of each raw table the generator dates past retention, and by which key
SILVER_KEY = {"orders": ("slv_orders", "order_id"), "order_items": ("slv_order_lines", "order_line_key"),
              "payments": ("slv_payments", "payment_id"), "events": ("slv_events", "event_id"),
              "interactions": ("slv_interactions", "interaction_id"),
              "support_tickets": ("slv_support_tickets", "ticket_id"),
              "nps_responses": ("slv_nps_responses", "response_id"),
              "campaigns": ("slv_campaigns", "campaign_id"),
              "campaign_performance": ("slv_campaign_daily_metrics", "performance_id")}


def test_records_past_retention_are_retired_not_lost(wh: Warehouse):
    """GEN-03 on the sample: every record the generator dated before as_of - 5 years is accepted (it breaks no row
    rule), counted as retired in dq_row_reconciliation, in bronze, and in no silver model (by its key)."""
    every_past = truth_past_retention()
    # an old record whose parent record was rejected (past.py may date a record of a customer whose CRM record the
    # delivery breaks) is rejected under its reference rule, like any orphan, and never reaches retirement
    orphans = {(t, rid) for t, rid, _ in orphans_of_rejected_parents()}
    past = [r for r in every_past if (r["source_table"], r["record_id"]) not in orphans]
    expected = collections.Counter(r["source_table"] for r in past)
    assert set(expected) == set(SILVER_KEY) and min(expected.values()) >= 1
    # the generator's window: dated between as_of - 7 years and as_of - 5 years - 200 days (the cutoff is 2021-06-30)
    assert all("2019-06" <= r["dated_at"][:7] and r["dated_at"][:10] < "2020-12-13" for r in past)
    got = dict(wh.query(f"select source_table, retired_rows from {wh.dq}.dq_row_reconciliation"))
    assert {t: n for t, n in got.items() if n} == dict(expected)
    rejected = {(t, rid) for t, rid in wh.query(f"select source_table, record_id from {wh.dq}.dq_rejected_rows")}
    assert not {(r["source_table"], r["record_id"]) for r in past} & rejected
    assert {(r["source_table"], r["record_id"]) for r in every_past} - {(r["source_table"], r["record_id"]) for r in past} <= rejected
    silver = wh.schema("silver")
    for table, (model, key) in SILVER_KEY.items():
        held = {rid for (rid,) in wh.query(f"select {key} from {silver}.{model}")}
        assert not {r["record_id"] for r in every_past if r["source_table"] == table} & held, model
        ids = {r["record_id"] for r in past if r["source_table"] == table}
        assert not ids & held, f"{model} holds {sorted(ids & held)[:3]} older than the retention window"
        in_bronze = {rid for (rid,) in wh.query(f"select _record_id from {wh.bronze_table(table)}")}
        assert ids <= in_bronze, table


def test_rule_summary_reports_exactly_the_intended_breaches(wh: Warehouse):
    fails = set(wh.query(f"select rule_id, entity from {wh.dq}.dq_rule_summary where status = 'fail'"))
    assert fails == EXPECTED_FAILS


def test_rule_summary_counts_agree_with_truth(wh: Warehouse):
    """GEN-02 per entity: failed rows = distinct records broken on purpose or naming a rejected parent (a broken
    record that also names a rejected parent is one failed row)."""
    broken = collections.defaultdict(set)
    for d in truth_defects():
        if d["rule_id"] != "DUPLICATE":
            broken[d["source_table"]].add((d["record_id"], d["rule_id"]))
    for table, record_id, rule in orphans_of_rejected_parents():
        if not any(r == record_id for r, _ in broken[table]):
            broken[table].add((record_id, rule))
    summary = wh.query(f"select source_table, failed_rows, checked_rows, threshold_pct, status "
                       f"from {wh.dq}.dq_rule_summary where rule_id = 'GEN-02'")
    assert len(summary) == 14
    for table, failed, checked, threshold, status in summary:
        assert failed == len(broken[table]), table
        assert status == ("fail" if 100.0 * failed / checked >= float(threshold) else "pass"), table


def test_every_row_rule_of_the_catalogue_is_summarised(wh: Warehouse):
    catalogue = {r for (r,) in wh.query(f"select rule_id from {wh.reference}.dq_rules where kind = 'row'")}
    summarised = {r for (r,) in wh.query(f"select distinct rule_id from {wh.dq}.dq_rule_summary")}
    assert catalogue <= summarised
    assert {"GEN-01", "GEN-02", "GEN-03", "GEN-04", "GEN-05", "GEN-06", "PRF-06"} <= summarised


def test_rejections_carry_the_offending_value(wh: Warehouse):
    rows = wh.query(f"select rule_id, detail from {wh.dq}.dq_rejected_rows where rule_id in ('CUS-02', 'INT-05')")
    assert rows
    for rule, detail in rows:
        assert detail.startswith("email=" if rule == "CUS-02" else "interaction_type="), detail


def test_both_engines_give_the_same_answer(duckdb_warehouse: Warehouse, postgres_warehouse: Warehouse):
    q = "select source_table, rule_id, count(*) from {s}.dq_rejected_rows group by 1, 2"
    assert sorted(duckdb_warehouse.query(q.format(s=duckdb_warehouse.dq))) == \
        sorted(postgres_warehouse.query(q.format(s=postgres_warehouse.dq)))
    q = "select rule_id, entity, checked_rows, failed_rows, status from {s}.dq_rule_summary"
    left = sorted(duckdb_warehouse.query(q.format(s=duckdb_warehouse.dq)))
    right = sorted(postgres_warehouse.query(q.format(s=postgres_warehouse.dq)))
    assert left == right
    q = "select customer_id, phone_e164, email, registration_date from {s}.brz_crm__customers where _is_current order by 1"
    assert duckdb_warehouse.query(q.format(s=duckdb_warehouse.bronze)) == \
        postgres_warehouse.query(q.format(s=postgres_warehouse.bronze))
