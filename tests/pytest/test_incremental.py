"""Bronze keeps history across deliveries, and an incremental run equals a full refresh.

Two deliveries of the same world from scripts/generate_raw.py (delivery 2 is the
cumulative extract 30 days later, with the records that changed listed in
truth/changes.csv) go through the real path, on DuckDB and on Postgres:

* schema ``..._inc``:  load delivery 1, build; load delivery 2, build again (incremental)
* schema ``..._full``: load delivery 2, build with --full-refresh

and the two bronze layers must agree: the same current versions (every column but
the load metadata) for every record delivery 2 accepts; the incremental run inserted
exactly the versions of the records that changed (or became acceptable) and left
every other version with the batch that first loaded it; a record accepted in
delivery 1 and rejected in delivery 2 keeps its last good version as current.
"""
from __future__ import annotations

import collections
import csv
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, drop_postgres_schemas, postgres_params, require_postgres
from test_warehouse import orphans_of_rejected_parents

pytestmark = pytest.mark.slow

PEOPLE = 300
AS_OF_1 = "2026-06-30T00:00:00Z"
# Raw -> staging -> bronze -> dq only. Unit tests read the sample seeds, disabled with a loaded delivery.
SELECT = ["--select", "path:models/staging", "path:models/bronze", "path:models/dq", "path:seeds/reference",
          "--indirect-selection", "cautious"]
LOAD_METADATA = {"_is_current", "_batch_id", "_loaded_at", "_superseded_at"}
BRONZE = {
    "crm_customers": "brz_crm__customers", "interactions": "brz_crm__interactions",
    "campaigns": "brz_marketing__campaigns", "campaign_performance": "brz_marketing__campaign_performance",
    "loyalty_members": "brz_loyalty__members", "ecom_accounts": "brz_ecom__accounts",
    "products": "brz_ecom__products", "consents": "brz_consent__consents", "orders": "brz_oms__orders",
    "order_items": "brz_oms__order_items", "payments": "brz_oms__payments", "events": "brz_tracking__events",
    "support_tickets": "brz_support__tickets", "nps_responses": "brz_support__nps_responses",
}
# Key-uniqueness rules the generator breaks with a second, later row of the same
# record: the record keeps an accepted version. (PRF-01 breaks a whole new record.)
LATER_DUPLICATE_RULES = {"CUS-01", "INT-01", "CMP-01", "PRD-01", "ORD-01", "OIT-01", "PAY-01", "EVT-01",
                         "LOY-01", "ECM-01", "CON-01", "SUP-01", "NPS-01"}


# ------------------------------------------------------------------ deliveries
class Delivery:
    def __init__(self, path: Path, keys: dict[str, tuple[str, ...]]):
        self.path, self.truth = path, path / "_truth"
        self.manifest = json.loads((self.truth / "manifest.json").read_text())
        self.as_of = self.manifest["as_of"]
        with open(self.truth / "injected_defects.csv", newline="") as fh:
            self.defects = list(csv.DictReader(fh))
        self.records: set[tuple[str, str]] = set()
        for table, key in keys.items():
            with open(path / f"{table}.csv", newline="", encoding="utf-8") as fh:
                self.records |= {(table, ":".join(row[k] for k in key)) for row in csv.DictReader(fh)}
        rejected = {(d["source_table"], d["record_id"]) for d in self.defects
                    if d["rule_id"] != "DUPLICATE" and d["rule_id"] not in LATER_DUPLICATE_RULES}
        # children of a rejected parent record are rejected under the reference rule (test_warehouse.PARENT_RULES)
        self.orphans = orphans_of_rejected_parents(path, self.defects)
        self.accepted = self.records - rejected - {(table, rid) for table, rid, _ in self.orphans}

    def changes(self) -> dict[tuple[str, str], str]:
        with open(self.truth / "changes.csv", newline="") as fh:
            return {(r["source_table"], r["record_id"]): r["change"] for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory, import_script) -> tuple[Delivery, Delivery]:
    keys = import_script("generate_raw").KEYS
    out = []
    for n in (1, 2):
        path = tmp_path_factory.mktemp("incremental") / f"delivery_{n}"
        subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "generate_raw.py"), "--people", str(PEOPLE),
                        "--out", str(path), "--delivery", str(n), "--quiet"], check=True)
        out.append(Delivery(path, keys))
    return out[0], out[1]


def test_delivery_2_is_delivery_1_plus_what_changed(deliveries):
    d1, d2 = deliveries
    changes = d2.changes()
    assert d2.manifest["previous_as_of"] == d1.as_of == AS_OF_1 and d2.as_of > d1.as_of
    assert d1.records <= d2.records
    assert {r for r, c in changes.items() if c == "new"} == d2.records - d1.records
    updated = {r for r, c in changes.items() if c == "updated"}
    for table in ("crm_customers", "loyalty_members", "campaigns"):
        assert any(t == table for t, _ in updated), f"no {table} changed in delivery 2"
    # every row of delivery 1 whose record did not change is delivered again byte for byte
    for table in BRONZE:
        rows_1 = (d1.path / f"{table}.csv").read_text().splitlines()
        rows_2 = set((d2.path / f"{table}.csv").read_text().splitlines())
        changed_rows = [row for row in rows_1 if row not in rows_2]
        assert len(changed_rows) <= sum(1 for t, _ in updated if t == table), table
    # the case the incremental logic must get right exists: accepted in 1, rejected in 2
    assert d1.accepted - d2.accepted


# ------------------------------------------------------------------ warehouses
class Warehouse:
    """The _inc and _full schemas of one engine, after the three builds."""

    def __init__(self, engine: str, prefix: str, conn):
        self.engine, self.prefix, self.conn = engine, prefix, conn

    def query(self, sql: str) -> list[tuple]:
        if self.engine == "duckdb":
            return [tuple(r) for r in self.conn.execute(sql).fetchall()]
        with self.conn.cursor() as cur:
            cur.execute(sql)
            return [tuple(r) for r in cur.fetchall()]

    def columns(self, schema: str, table: str) -> list[str]:
        return [c for (c,) in self.query(
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position")]

    def bronze(self, which: str, raw_table: str) -> str:
        return f"{self.prefix}_{which}_bronze.{BRONZE[raw_table]}"


def run(env: dict[str, str], *args: str) -> None:
    proc = subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")


def load_and_build(env: dict[str, str], target: str, delivery: Delivery, *flags: str, tests: bool = False) -> None:
    run(env, "scripts/load_raw.py", "--dir", str(delivery.path), "--target", target, "--quiet")
    # Elementary's monitors need its own models, which this selection leaves out (tests/pytest/test_elementary.py)
    exclude = ["--exclude", "resource_type:unit_test", "tag:pkg_elementary"] + ([] if tests else ["resource_type:test"])
    run(env, "scripts/dbt_run.py", "build", "--target", target, *SELECT, *exclude, *flags,
        "--vars", f'{{load_sample_data: false, as_of: "{delivery.as_of}"}}')


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def warehouse(request, deliveries, tmp_path_factory):
    d1, d2 = deliveries
    engine = request.param
    if engine == "postgres":
        require_postgres()
    work = tmp_path_factory.mktemp(f"incremental_{engine}")
    prefix = f"pytest_incremental_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(PROJECT_ROOT))}
    target = "dev" if engine == "duckdb" else "pg"
    if engine == "duckdb":
        env["DUCKDB_PATH"] = str(work / "incremental.duckdb")
    try:
        inc = {**env, "DBT_SCHEMA": f"{prefix}_inc"}
        load_and_build(inc, target, d1)
        # incremental, with the dbt tests (bronze history, every accepted row in bronze, reconciliation, ...)
        load_and_build(inc, target, d2, tests=True)
        load_and_build({**env, "DBT_SCHEMA": f"{prefix}_full"}, target, d2, "--full-refresh")
        if engine == "duckdb":
            import duckdb

            conn = duckdb.connect(env["DUCKDB_PATH"], read_only=True)
        else:
            import psycopg2

            conn = psycopg2.connect(**postgres_params())
            conn.autocommit = True
        yield Warehouse(engine, prefix, conn)
        conn.close()
    finally:
        if engine == "postgres":
            drop_postgres_schemas(prefix)


def versions(wh: Warehouse, which: str, table: str, where: str = "true") -> tuple[list[str], set[tuple]]:
    """Columns (load metadata dropped) and rows of a bronze model."""
    schema, name = wh.bronze(which, table).split(".")
    cols = [c for c in wh.columns(schema, name) if c not in LOAD_METADATA]
    return cols, set(wh.query(f"select {', '.join(cols)} from {schema}.{name} where {where}"))


def batches(wh: Warehouse) -> tuple[str, str]:
    """The batch ids of the first and the second load into the incremental schema."""
    rows = set()
    for table in BRONZE:
        rows |= set(wh.query(f"select _batch_id, min(_loaded_at) from {wh.bronze('inc', table)} group by 1"))
    first = {}
    for batch, loaded in rows:
        first[batch] = min(loaded, first.get(batch, loaded))
    assert len(first) == 2, first
    return tuple(sorted(first, key=first.get))


def test_current_versions_equal_a_full_refresh(warehouse, deliveries):
    d1, d2 = deliveries
    kept_from_1 = d1.accepted - d2.accepted  # rejected now: the last good version stays current
    for table in BRONZE:
        cols, inc = versions(warehouse, "inc", table, "_is_current")
        _, full = versions(warehouse, "full", table, "_is_current")
        rid = cols.index("_record_id")
        kept = {row for row in inc if (table, row[rid]) in kept_from_1}
        assert inc - kept == full, (f"{table}: only incremental {sorted(inc - kept - full)[:3]}, "
                                    f"only full refresh {sorted(full - inc)[:3]}")
        assert {(table, row[rid]) for row in kept} == {r for r in kept_from_1 if r[0] == table}, table


def test_second_run_inserted_exactly_the_changed_records(warehouse, deliveries):
    d1, d2 = deliveries
    first, second = batches(warehouse)
    changed = set(d2.changes())
    healed = d2.accepted - d1.accepted - changed  # rejected in 1 (e.g. a time then in the future), same row now
    expected = (changed & d2.accepted) | healed
    inserted = collections.Counter()
    for table in BRONZE:
        cols, rows = versions(warehouse, "inc", table, f"_batch_id = '{second}'")
        rid = cols.index("_record_id")
        inserted.update((table, row[rid]) for row in rows)
    assert set(inserted) == expected, (f"inserted but unchanged {sorted(set(inserted) - expected)[:5]}, "
                                       f"changed but not inserted {sorted(expected - set(inserted))[:5]}")
    assert set(inserted.values()) == {1}  # one new version per record


def test_unchanged_rows_keep_their_first_batch(warehouse, deliveries):
    d1, d2 = deliveries
    first, second = batches(warehouse)
    changed = set(d2.changes())
    for table in BRONZE:
        rows = warehouse.query(f"select _record_id, _batch_id, _is_current, _superseded_at "
                               f"from {warehouse.bronze('inc', table)}")
        by_record = collections.defaultdict(list)
        for rid, batch, current, superseded in rows:
            by_record[rid].append((batch, current, superseded is not None))
        for rid, vs in by_record.items():
            if (table, rid) in d1.accepted and (table, rid) not in changed:
                assert vs == [(first, True, False)], (table, rid, vs)
            if (table, rid) in d1.accepted and (table, rid) in changed & d2.accepted:
                # the version of delivery 1 is kept, superseded by the one of delivery 2
                assert sorted(vs, key=str) == sorted([(first, False, True), (second, True, False)], key=str), \
                    (table, rid, vs)


def test_rejected_rows_after_delivery_2_match_its_injected_defects(warehouse, deliveries):
    _, d2 = deliveries
    expected = collections.Counter((d["source_table"], d["record_id"], d["rule_id"])
                                   for d in d2.defects if d["rule_id"] != "DUPLICATE") + d2.orphans
    for which in ("inc", "full"):
        got = collections.Counter(warehouse.query(
            f"select source_table, record_id, rule_id from {warehouse.prefix}_{which}_dq.dq_rejected_rows"))
        by_rule = {rule: (sum(n for (_, _, r), n in expected.items() if r == rule),
                          sum(n for (_, _, r), n in got.items() if r == rule))
                   for rule in {r for _, _, r in expected | got}}
        assert not {r: v for r, v in by_rule.items() if v[0] != v[1]}, f"{which}: rule: (injected, rejected)"
        assert got == expected, f"{which}: missing {expected - got}, unexpected {got - expected}"


def test_reconciliation_counts_this_delivery(warehouse, deliveries):
    _, d2 = deliveries
    rows = warehouse.query(f"select source_table, raw_rows, accepted_rows, is_balanced "
                           f"from {warehouse.prefix}_inc_dq.dq_row_reconciliation")
    assert len(rows) == 14
    for table, raw, accepted, balanced in rows:
        assert balanced and raw == d2.manifest["rows"][table], table
        # accepted rows of delivery 2 = the current versions a full refresh of it builds
        full = warehouse.query(f"select count(*) from {warehouse.bronze('full', table)}")[0][0]
        assert accepted == full, table


def test_rule_history_keeps_both_runs(warehouse, deliveries):
    """dq_rule_summary_history holds one full set of rule results per run: the two incremental builds give two
    run ids at their two as_of; the latest run's rows (run-end GEN rows included) equal dq_rule_summary."""
    d1, d2 = deliveries
    dq = f"{warehouse.prefix}_inc_dq"
    runs = warehouse.query(f"select run_id, min(as_of), count(*), "
                           f"count(case when rule_id in ('GEN-03', 'GEN-04', 'GEN-06') then 1 end) "
                           f"from {dq}.dq_rule_summary_history group by run_id order by min(as_of)")
    assert len(runs) == 2, runs
    assert [str(r[1])[:10] for r in runs] == [d1.as_of[:10], d2.as_of[:10]]
    cols = "rule_id, entity, checked_rows, failed_rows, status"
    latest = set(warehouse.query(f"select {cols} from {dq}.dq_rule_summary_history where run_id = '{runs[-1][0]}'"))
    current = set(warehouse.query(f"select {cols} from {dq}.dq_rule_summary"))
    assert latest == current
