"""GEN-03/04/06 are declared once, in each model's meta, and both the test and the report read it.

* every model declaring `governance` meta carries the `dda_governance` test, and every such test sits on a
  model that declares it (the manifest, not a hand-kept list);
* the test can fail: with `as_of` moved 10 years on, every GEN-03 retention column breaks the window
  (the models were built for the sample's as_of), so every dda_governance test with a retention column fails;
* dq_governance_report, written at the end of the build, holds one row per declared check, and all pass.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from warehouse_util import ROOT



@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse(request):
    return request.getfixturevalue(f"{request.param}_warehouse")


def manifest() -> dict:
    env = {**os.environ, "DBT_TARGET_PATH": str(ROOT / "build" / "target_governance")}
    subprocess.run([sys.executable, str(ROOT / "scripts" / "dbt_run.py"), "parse", "--target", "dev"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return json.loads((ROOT / "build" / "target_governance" / "manifest.json").read_text())


def governed(m: dict) -> dict[str, dict]:
    return {n["unique_id"]: n["config"]["meta"]["governance"] for n in m["nodes"].values()
            if n["resource_type"] == "model" and n["config"].get("meta", {}).get("governance")}


def test_every_governed_model_is_tested_and_every_test_reads_meta():
    m = manifest()
    models = governed(m)
    tested = {n["attached_node"] for n in m["nodes"].values() if n["resource_type"] == "test"
              and (n.get("test_metadata") or {}).get("name") == "dda_governance"}
    assert len(models) >= 25, sorted(models)
    assert set(models) - tested == set(), "governed but untested"
    assert tested - set(models) == set(), "dda_governance on a model without governance meta"
    assert all(set(g) <= {"retention", "consent_scope", "consent_scope_column", "pii"} for g in models.values())


def test_report_has_one_passing_row_per_declared_check(warehouse):
    m = manifest()
    expected = set()
    for uid, g in governed(m).items():
        name = m["nodes"][uid]["name"]
        retention = g.get("retention", [])
        for col in [retention] if isinstance(retention, str) else retention:
            expected.add(("GEN-03", name, col))
        if g.get("consent_scope"):
            expected.add(("GEN-04", name, g["consent_scope"]))
        if g.get("consent_scope_column"):
            expected.add(("GEN-04", name, g["consent_scope_column"]))
        for col in g.get("pii", {}):
            expected.add(("GEN-06", name, col))
    rows = warehouse.query(f"select rule_id, model_name, checked_target, status, is_tested "
                           f"from {warehouse.dq}.dq_governance_report")
    assert {(r[0], r[1], r[2]) for r in rows} == expected
    assert {r[3] for r in rows} == {"pass"} and all(r[4] for r in rows)


def test_run_end_rows_reach_the_summary_and_its_history(warehouse):
    """The hook writes one GEN-03/04/06 row per governed model and rule into dq_rule_summary and, as the build ran
    dq_rule_summary_history, the same rows into the history under the build's run id."""
    summary = set(warehouse.query(f"select rule_id, entity, checked_rows, failed_rows, run_id from "
                                  f"{warehouse.dq}.dq_rule_summary where rule_id in ('GEN-03', 'GEN-04', 'GEN-06')"))
    m = manifest()
    models = {(g, m["nodes"][uid]["name"]) for uid, gov in governed(m).items()
              for g, keys in (("GEN-03", ["retention"]), ("GEN-04", ["consent_scope", "consent_scope_column"]),
                              ("GEN-06", ["pii"])) if any(gov.get(key) for key in keys)}
    assert {(r[0], r[1]) for r in summary} == models
    run_ids = {r[4] for r in summary}
    assert len(run_ids) == 1
    history = set(warehouse.query(f"select rule_id, entity, checked_rows, failed_rows, run_id from "
                                  f"{warehouse.dq}.dq_rule_summary_history where run_id = '{run_ids.pop()}' "
                                  f"and rule_id in ('GEN-03', 'GEN-04', 'GEN-06')"))
    assert history == summary


@pytest.mark.postgres
def test_dda_governance_fails_when_rows_leave_the_retention_window(postgres_warehouse):
    """On Postgres: a dbt run beside the session's open DuckDB connection would hit its file lock."""
    warehouse = postgres_warehouse
    env = {**os.environ, "DBT_SCHEMA": warehouse.prefix, "DBT_TARGET_PATH": str(ROOT / "build" / "target_governance")}
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "dbt_run.py"), "test", "--target", "pg",
                           "--select", "test_name:dda_governance", "--vars", '{as_of: "2036-06-30T00:00:00Z"}'],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode != 0, proc.stdout[-3000:]
    failed = proc.stdout.count("FAIL ")
    with_retention = sum(1 for g in governed(manifest()).values() if g.get("retention"))
    assert failed >= with_retention, proc.stdout[-3000:]
