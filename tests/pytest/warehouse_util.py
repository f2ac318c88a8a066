"""Access to a built warehouse (DuckDB file or Postgres schemas) for the tests.

The schema prefix and DuckDB file are the ones `make test` uses (env DBT_SCHEMA
and DUCKDB_PATH). If the warehouse has not been built, `ensure_built` builds it
with `scripts/dbt_run.py seed` + `build`, so pytest also runs on its own.
"""
from __future__ import annotations

import fcntl
import getpass
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))  # scripts/connections.py

import connections  # noqa: E402
TRUTH_DIR = ROOT / "tests" / "fixtures" / "sample_truth"
SAMPLE_AS_OF = "2026-06-30T00:00:00Z"


def default_schema() -> str:
    return os.environ.get("DBT_SCHEMA") or "ci_" + re.sub(r"[^a-z0-9_]", "", getpass.getuser().lower())


def default_duckdb_path() -> Path:
    return ROOT / os.environ.get("DUCKDB_PATH", "build/test.duckdb")


@dataclass
class Warehouse:
    engine: str
    prefix: str
    conn: object

    def schema(self, layer: str) -> str:
        return f"{self.prefix}_{layer}"

    @property
    def dq(self) -> str:
        return self.schema("dq")

    @property
    def bronze(self) -> str:
        return self.schema("bronze")

    @property
    def reference(self) -> str:
        return self.schema("reference")

    def bronze_table(self, raw_table: str) -> str:
        name = {
            "crm_customers": "brz_crm__customers", "interactions": "brz_crm__interactions",
            "campaigns": "brz_marketing__campaigns", "campaign_performance": "brz_marketing__campaign_performance",
            "loyalty_members": "brz_loyalty__members", "ecom_accounts": "brz_ecom__accounts",
            "products": "brz_ecom__products", "consents": "brz_consent__consents", "orders": "brz_oms__orders",
            "order_items": "brz_oms__order_items", "payments": "brz_oms__payments", "events": "brz_tracking__events",
            "support_tickets": "brz_support__tickets", "nps_responses": "brz_support__nps_responses",
        }[raw_table]
        return f"{self.bronze}.{name}"

    def staging_view(self, raw_table: str) -> str:
        """The staging view that judges a raw table (same name as its bronze model, stg_ for brz_)."""
        return f"{self.schema('staging')}.{self.bronze_table(raw_table).split('.')[1].replace('brz_', 'stg_', 1)}"

    def query(self, sql: str) -> list[tuple]:
        if self.engine == "duckdb":
            return [tuple(r) for r in self.conn.execute(sql).fetchall()]
        with self.conn.cursor() as cur:
            cur.execute(sql)
            return [tuple(r) for r in cur.fetchall()]

    def scalar(self, sql: str):
        return self.query(sql)[0][0]

    def has_table(self, schema: str, table: str) -> bool:
        sql = ("select count(*) from information_schema.tables "
               f"where table_schema = '{schema}' and table_name = '{table}'")
        return self.scalar(sql) > 0


def run_dbt(target: str, env: dict[str, str], *args: str) -> None:
    cmd = [sys.executable, str(ROOT / "scripts" / "dbt_run.py"), *args, "--target", target,
           "--vars", f'{{as_of: "{SAMPLE_AS_OF}"}}']
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}")


# ------------------------------------------------------------------ fixtures
import pytest  # noqa: E402


def _built(wh: Warehouse) -> bool:
    return (wh.has_table(wh.dq, "dq_row_reconciliation") and wh.has_table(wh.dq, "dq_rule_summary")
            and wh.has_table(wh.schema("silver"), "slv_customer_id_map") and wh.has_table(wh.schema("gold"), "dim_customer"))


def _is_built_duckdb(dev: connections.Target, prefix: str) -> bool:
    conn = dev.connect(read_only=True)
    try:
        return _built(Warehouse("duckdb", prefix, conn))
    finally:
        conn.close()


def target(name: str, env: dict[str, str] | None = None) -> connections.Target:
    """A target of the project's profiles (scripts/connections.py), with ``env`` over the environment."""
    return connections.project_target(name, env={**os.environ, **(env or {})})


@contextmanager
def _build_lock(name: str):
    """One process at a time checks and builds a shared warehouse (pytest-xdist runs several)."""
    (ROOT / "build").mkdir(exist_ok=True)
    with open(ROOT / "build" / f".{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def duckdb_warehouse():
    path, prefix = default_duckdb_path(), default_schema()
    env = {"DUCKDB_PATH": str(path), "DBT_SCHEMA": prefix}
    dev = target("dev", env)
    with _build_lock(f"duckdb_{prefix}"):
        if not path.exists() or not _is_built_duckdb(dev, prefix):
            path.parent.mkdir(parents=True, exist_ok=True)
            run_dbt("dev", env, "build")
    conn = dev.connect(read_only=True)
    yield Warehouse("duckdb", prefix, conn)
    conn.close()


@pytest.fixture(scope="session")
def postgres_warehouse():
    prefix = default_schema()
    try:
        conn = target("pg", {"DBT_SCHEMA": prefix}).connect(connect_timeout=3)
    except connections.ConnectError as exc:
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(f"Postgres is required (REQUIRE_POSTGRES is set) but unreachable: {exc}")
        pytest.skip(str(exc)[:200])
    conn.autocommit = True
    wh = Warehouse("postgres", prefix, conn)
    with _build_lock(f"postgres_{prefix}"):
        if not _built(wh):
            env = {"DBT_SCHEMA": prefix}
            run_dbt("pg", env, "build")
    yield wh
    conn.close()


# ------------------------------------------------------------------ currency
def fx_to_reporting():
    """An independent reading of the reporting-currency rule: rate(currency, time) = units of the reporting
    currency (dbt_project.yml var reporting_currency) per unit of `currency`, from seeds/reference/fx_rates.csv
    (units per euro) for the month of `time`, as Decimals."""
    import csv
    from decimal import Decimal

    import yaml

    reporting = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["reporting_currency"]
    per_eur: dict[tuple[str, str], Decimal] = {}
    with open(ROOT / "seeds" / "reference" / "fx_rates.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            per_eur[(row["rate_month"][:7], row["currency"])] = Decimal(row["units_per_eur"])

    def rate(currency: str, when) -> Decimal:
        month = f"{when.year:04d}-{when.month:02d}"
        return per_eur[(month, reporting)] / per_eur[(month, currency.strip().upper())]

    return rate
