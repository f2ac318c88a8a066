"""GDPR erasure and access requests (issue 9, point 7), end to end on DuckDB and on Postgres.

One generated delivery (50 people) is loaded and built through staging, bronze, silver, dq and the customer
snapshot. The person with the most source ids is then

* exported (scripts/export_person.py -> dbt run-operation export_person): the JSON holds their rows from raw,
  bronze, silver and the snapshot, unmasked;
* erased by one of their source ids (dbt run-operation erase_person): afterwards no base table of the warehouse
  holds any of their ids or their e-mail in any text column, the audit log has one row per table touched whose
  count is that table's rows in the export, and neither the log nor the suppression list holds a raw id;
* delivered again (the same files) and rebuilt: they do not come back to bronze, silver or dq's accepted rows,
  their rows are rejected under GEN-07 with a detail that names the request and no PII, and the row accounting
  still balances for every table.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, drop_postgres_schemas, postgres_params, require_postgres

pytestmark = pytest.mark.slow

AS_OF = "2026-06-30T00:00:00Z"
VARS = f'{{load_sample_data: false, as_of: "{AS_OF}"}}'
MODELS = ["--select", "path:models/staging", "path:models/bronze", "path:models/silver", "path:models/dq",
          "--exclude", "tag:pkg_elementary"]
LAYERS = ["raw", "staging", "bronze", "silver", "gold", "dq", "snapshots"]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)


def check(proc: subprocess.CompletedProcess, what: str) -> str:
    assert proc.returncode == 0, f"{what} failed:\n{proc.stdout[-5000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


class Warehouse:
    def __init__(self, engine: str, env: dict[str, str], prefix: str):
        self.engine, self.env, self.prefix = engine, env, prefix
        if engine == "duckdb":
            import duckdb

            self._connect = lambda: duckdb.connect(env["DUCKDB_PATH"], read_only=True)
        else:
            import psycopg2

            self._connect = lambda: psycopg2.connect(**postgres_params())

    def query(self, sql: str) -> list[tuple]:
        conn = self._connect()  # a fresh connection per query: dbt writes to the same database in between
        try:
            cur = conn.cursor()
            cur.execute(sql)
            return [tuple(r) for r in cur.fetchall()]
        finally:
            conn.close()

    def text_columns(self, layers: list[str]) -> dict[str, list[str]]:
        """{schema.table: [text columns]} of the base tables of these layers."""
        schemas = ", ".join(f"'{self.prefix}_{layer}'" for layer in layers)
        rows = self.query(
            "select c.table_schema, c.table_name, c.column_name from information_schema.columns c "
            "join information_schema.tables t on c.table_schema = t.table_schema and c.table_name = t.table_name "
            f"where c.table_schema in ({schemas}) and t.table_type = 'BASE TABLE' "
            "and (lower(c.data_type) like '%char%' or lower(c.data_type) like '%text%' or lower(c.data_type) like '%[]' "
            "or lower(c.data_type) = 'array')")
        tables: dict[str, list[str]] = {}
        for schema, table, column in rows:
            tables.setdefault(f'"{schema}"."{table}"', []).append(column)
        return tables

    def holding(self, values: list[str], layers: list[str]) -> dict[str, int]:
        """Rows per table of these layers whose text columns contain any of the values (case-insensitive)."""
        found = {}
        for table, columns in self.text_columns(layers).items():
            terms = " or ".join(f"lower(cast(\"{c}\" as varchar)) like '%{v.lower()}%'" for c in columns for v in values)
            (n,) = self.query(f"select count(*) from {table} where {terms}")[0]
            if n:
                found[table] = n
        return found


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def warehouse(request, small_delivery, tmp_path_factory):
    engine = request.param
    if engine == "postgres":
        require_postgres()
    work = tmp_path_factory.mktemp(f"erasure_{engine}")
    delivery = work / "delivery"
    shutil.copytree(small_delivery, delivery, ignore=shutil.ignore_patterns("_truth"))
    prefix = f"pytest_erasure_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(PROJECT_ROOT)), "DBT_SCHEMA": prefix,
           "DBT_TARGET": "dev" if engine == "duckdb" else "pg"}
    if engine == "duckdb":
        env["DUCKDB_PATH"] = str(work / "erasure.duckdb")
    target = env["DBT_TARGET"]
    try:
        check(run(env, "scripts/load_raw.py", "--dir", str(delivery), "--target", target, "--quiet"), "load")
        check(run(env, "scripts/dbt_run.py", "seed", "--select", "path:seeds/reference", "--target", target,
                  "--vars", VARS), "seed")
        check(run(env, "scripts/dbt_run.py", "run", "--target", target, *MODELS, "--vars", VARS), "run")
        check(run(env, "scripts/dbt_run.py", "snapshot", "--select", "snp_customer_states", "--target", target,
                  "--vars", VARS), "snapshot")
        yield Warehouse(engine, env, prefix), delivery, target
    finally:
        if engine == "postgres":
            drop_postgres_schemas(prefix)


@pytest.fixture(scope="module")
def erased(warehouse):
    """Export, then erase, the person with the most source ids; returns what each step saw."""
    wh, delivery, target = warehouse
    silver = f"{wh.prefix}_silver"
    (c360,) = wh.query(f"select customer360_id from {silver}.slv_customer_id_map group by customer360_id "
                       "order by count(*) desc, customer360_id limit 1")[0]
    ids = dict(wh.query(f"select source_id, source_system from {silver}.slv_customer_id_map "
                        f"where customer360_id = '{c360}'"))
    emails = [e for (e,) in wh.query(f"select distinct lower(trim(email)) from {wh.prefix}_raw.crm_customers "
                                     f"where customer_id in ({', '.join(repr(i) for i in ids)}) and email is not null")]
    named_by = next(i for i, s in sorted(ids.items()) if s != "anonymous")  # a source id, not the customer360_id
    identifiers = [c360, *ids, *emails]
    before = wh.holding(identifiers, LAYERS)

    out = Path(wh.env["DBT_TARGET_PATH"]) / "person.json"
    check(run(wh.env, "scripts/export_person.py", "--person", named_by, "--out", str(out), "--target", target,
              "--vars", VARS), "export")
    export = json.loads(out.read_text(encoding="utf-8"))

    erase = check(run(wh.env, "scripts/dbt_run.py", "run-operation", "erase_person", "--target", target,
                      "--vars", VARS, "--args",
                      json.dumps({"person": named_by, "requested_by": "pytest", "reason": "test_erasure"})), "erase")
    after = wh.holding(identifiers, LAYERS)
    privacy = f"{wh.prefix}_privacy"
    log = wh.query(f"select request_id, requested_by, person_hash, relation_name, rows_deleted from {privacy}.erasure_log")
    suppression = wh.query(f"select request_id, id_kind, id_hash from {privacy}.erasure_suppression")
    return {"c360": c360, "ids": ids, "emails": emails, "named_by": named_by, "identifiers": identifiers,
            "before": before, "export": export, "erase": erase, "after": after, "log": log,
            "suppression": suppression}


def test_export_holds_the_person_from_several_layers(erased):
    export = erased["export"]
    assert export["customer360_id"] == erased["c360"]
    assert export["masked"] is False
    layers = {name.split(".")[0].rsplit("_", 1)[-1] for name in export["relations"]}
    assert {"raw", "bronze", "silver", "snapshots"} <= layers, layers
    assert set(erased["ids"]) <= set(export["identifiers"]["person_id"])
    raw_ids = {row.get("customer_id") or row.get("web_user_id") or row.get("loyalty_id")
               for name, rows in export["relations"].items() if name.endswith(("crm_customers", "ecom_accounts",
                                                                                 "loyalty_members")) and "_raw." in name
               for row in rows}
    assert raw_ids & set(erased["ids"]), raw_ids


def test_no_table_holds_the_person_after_erasure(erased):
    assert erased["before"], "the person was found nowhere before the erasure"
    assert erased["after"] == {}, erased["after"]


def test_audit_counts_are_the_rows_that_were_there(erased):
    log = erased["log"]
    assert log and len({r[0] for r in log}) == 1, log
    assert all(r[1] == "pytest" for r in log)
    deleted = {relation: n for _, _, _, relation, n in log}
    exported = {name: len(rows) for name, rows in erased["export"]["relations"].items()}
    assert deleted == exported
    # every table where the independent scan saw the person was touched (views excepted: they need no delete)
    touched = {name.split(".")[1] for name in deleted}
    assert {t.split(".")[1].strip('"') for t in erased["before"]} <= touched
    assert "rows deleted" in erased["erase"]


def test_log_and_suppression_hold_no_raw_id(erased):
    text = json.dumps([list(map(str, r)) for r in erased["log"] + erased["suppression"]]).lower()
    for value in erased["identifiers"]:
        assert value.lower() not in text, value
    assert erased["log"][0][2] != erased["c360"] and len(erased["log"][0][2]) == 32  # a keyed md5
    kinds = {r[1] for r in erased["suppression"]}
    assert {"person_id", "email"} <= kinds, kinds


def test_unknown_person_fails_with_a_message(warehouse):
    wh, _, target = warehouse
    proc = run(wh.env, "scripts/dbt_run.py", "run-operation", "erase_person", "--target", target, "--vars", VARS,
               "--args", json.dumps({"person": "CRM-NOBODY", "requested_by": "pytest", "reason": "unknown"}))
    assert proc.returncode != 0
    assert "is neither a customer360_id nor a source id" in proc.stdout + proc.stderr


def test_a_later_delivery_does_not_bring_them_back(warehouse, erased):
    wh, delivery, target = warehouse
    check(run(wh.env, "scripts/load_raw.py", "--dir", str(delivery), "--target", target, "--quiet"), "reload")
    check(run(wh.env, "scripts/dbt_run.py", "run", "--target", target, *MODELS, "--vars", VARS), "rebuild")
    # raw holds the new delivery as sent, staging judges it; nothing past staging holds the person
    assert wh.holding(erased["identifiers"], ["bronze", "silver"]) == {}
    dq = f"{wh.prefix}_dq"
    rejected = wh.query(f"select source_table, record_id, detail from {dq}.dq_rejected_rows where rule_id = 'GEN-07'")
    request_id = erased["log"][0][0]
    assert rejected
    assert all(detail == f"erased on request {request_id}" for _, _, detail in rejected)
    tables = {t for t, _, _ in rejected}
    erased_raw = {r[3].split(".")[1] for r in erased["log"] if r[3].split(".")[0].endswith("_raw")}
    assert erased_raw <= tables, (erased_raw, tables)
    assert set(erased["ids"]) & {r for _, r, _ in rejected}
    # a person's id as the detail never appears: only the request id
    recon = wh.query(f"select source_table, is_balanced from {dq}.dq_row_reconciliation")
    assert len(recon) == 14 and all(balanced for _, balanced in recon), recon


def test_a_second_request_says_the_person_was_erased(warehouse, erased):
    wh, _, target = warehouse
    proc = run(wh.env, "scripts/dbt_run.py", "run-operation", "erase_person", "--target", target, "--vars", VARS,
               "--args", json.dumps({"person": erased["named_by"], "requested_by": "pytest", "reason": "again"}))
    assert proc.returncode != 0
    assert f"was erased by request {erased['log'][0][0]}" in proc.stdout + proc.stderr
