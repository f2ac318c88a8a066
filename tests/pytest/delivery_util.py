"""A delivery in a warehouse of its own, for the tests that load and build something other than the sample.

``isolated_warehouse(engine, work, name)`` gives a ``DeliveryWarehouse``: a fresh DuckDB file under ``work`` or
Postgres schemas with a unique prefix (dropped afterwards), dbt target and log paths of its own, and helpers to
run the project's scripts (``load``, ``dbt``) and SQL (``query``) against it.
"""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import PROJECT_ROOT, drop_postgres_schemas, postgres_params, require_postgres

AS_OF = "2026-06-30T00:00:00Z"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """A script of the project (``scripts/...``) with this interpreter, from the project root."""
    return subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)


@dataclass
class DeliveryWarehouse:
    engine: str
    prefix: str
    env: dict[str, str]
    work: Path

    @property
    def target(self) -> str:
        return "dev" if self.engine == "duckdb" else "pg"

    def schema(self, layer: str) -> str:
        return f"{self.prefix}_{layer}"

    def load(self, directory: Path) -> subprocess.CompletedProcess:
        proc = run(self.env, "scripts/load_raw.py", "--dir", str(directory), "--target", self.target, "--quiet")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    def dbt(self, *args: str) -> subprocess.CompletedProcess:
        return run(self.env, "scripts/dbt_run.py", *args, "--target", self.target)

    def query(self, sql: str) -> list[tuple]:
        """Rows of a select, or [] for a statement (committed)."""
        if self.engine == "duckdb":
            import duckdb

            with duckdb.connect(self.env["DUCKDB_PATH"]) as conn:
                cur = conn.execute(sql)
                return [tuple(r) for r in cur.fetchall()] if cur.description else []
        import psycopg2

        conn = psycopg2.connect(**postgres_params())
        try:
            with conn, conn.cursor() as cur:
                cur.execute(sql)
                return [tuple(r) for r in cur.fetchall()] if cur.description else []
        finally:
            conn.close()


@contextmanager
def isolated_warehouse(engine: str, work: Path, name: str) -> Iterator[DeliveryWarehouse]:
    """A warehouse for one test module on ``engine`` (skipped, or failed under REQUIRE_POSTGRES, without Postgres)."""
    if engine == "postgres":
        require_postgres()
    prefix = f"pytest_{name}_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(PROJECT_ROOT)), "DBT_SCHEMA": prefix}
    if engine == "duckdb":
        env["DUCKDB_PATH"] = str(work / f"{name}.duckdb")
    try:
        yield DeliveryWarehouse(engine, prefix, env, work)
    finally:
        if engine == "postgres":
            drop_postgres_schemas(prefix)
