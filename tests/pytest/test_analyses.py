"""Every analysis in analyses/ compiles and runs on both engines and returns rows on the sample.

dbt compiles analyses but never runs them, so a broken analysis would go unnoticed: this test compiles
them against the warehouse the suite built (same schema prefix) and executes the compiled SQL.
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
