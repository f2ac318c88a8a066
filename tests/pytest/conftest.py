"""Shared pytest fixtures for the project's Python scripts.

* ``project_root``        the dbt project directory
* ``import_script(name)`` import ``scripts/<name>.py`` as a module
* ``small_delivery``      a 50-people delivery from scripts/generate_raw.py (session-wide, read-only)
* ``postgres``            connection parameters of a reachable Postgres (the ``pg`` target, read by
                          scripts/connections.py); without one the test skips, or fails when
                          REQUIRE_POSTGRES is set (e.g. =1). Tests marked ``@pytest.mark.postgres``
                          get the same check automatically
* ``pg_schema_prefix``    a unique schema prefix; every schema starting with it is dropped afterwards
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))  # scripts/connections.py

import connections  # noqa: E402

# Under pytest-xdist (`make test` runs 2 processes) every process gets its own dbt target and log paths, so
# two dbt commands of different modules never write the same manifest, partial-parse file or log. Commands that
# set their own paths (most fixtures do) keep them.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:
    os.environ["DBT_TARGET_PATH"] = str(PROJECT_ROOT / "build" / f"target_pytest_{_WORKER}")
    os.environ["DBT_LOG_PATH"] = str(PROJECT_ROOT / "build" / f"logs_pytest_{_WORKER}")


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


def _import_script(name: str) -> ModuleType:
    module_name = f"scripts_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, PROJECT_ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader, f"cannot import scripts/{name}.py"
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def import_script() -> Callable[[str], ModuleType]:
    """Import a file of scripts/ (not a package) by name, e.g. import_script("load_raw")."""
    return _import_script


@pytest.fixture(scope="session")
def small_delivery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 50-people delivery; copy it before changing anything in it."""
    out = tmp_path_factory.mktemp("delivery") / "people_50"
    subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "generate_raw.py"),
                    "--people", "50", "--out", str(out), "--quiet"], check=True)
    return out


# ------------------------------------------------------------------- Postgres
def postgres_target() -> connections.Target:
    """The ``pg`` target as dbt finds it (else profiles.yml.example: PG* variables, local defaults)."""
    return connections.project_target("pg")


def postgres_params() -> dict[str, Any]:
    """psycopg2.connect() keyword arguments of the ``pg`` target."""
    return dict(postgres_target().credentials)


_pg_state: dict[str, str | None] = {}


def postgres_unavailable_reason() -> str | None:
    """None when Postgres answers, else why not (checked once per session)."""
    if "reason" not in _pg_state:
        try:
            postgres_target().connect(connect_timeout=3).close()
            _pg_state["reason"] = None
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
            _pg_state["reason"] = f"Postgres of the pg target not reachable ({connections.first_line(exc)})"
    return _pg_state["reason"]


def require_postgres() -> None:
    """Skip the test without Postgres, or fail it when REQUIRE_POSTGRES=1."""
    reason = postgres_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("REQUIRE_POSTGRES", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason}; REQUIRE_POSTGRES={os.environ['REQUIRE_POSTGRES']} makes this a failure")
    pytest.skip(f"{reason}; set REQUIRE_POSTGRES=1 to fail instead of skipping")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres"):
        require_postgres()


@pytest.fixture
def postgres() -> dict[str, Any]:
    require_postgres()
    return postgres_params()


@pytest.fixture
def pg_schema_prefix(postgres: dict[str, Any], request: pytest.FixtureRequest) -> Iterator[str]:
    """A unique schema prefix for DBT_SCHEMA, e.g. ``pytest_load_raw_1a2b3c4d``.

    Every schema named like it or starting with ``<prefix>_`` is dropped afterwards.
    """
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    prefix = f"pytest_{module}_{uuid.uuid4().hex[:8]}"
    yield prefix
    drop_postgres_schemas(prefix)


def drop_postgres_schemas(prefix: str) -> None:
    """Drop the Postgres schema ``prefix`` and every schema starting with ``<prefix>_`` (a test's warehouse)."""
    import psycopg2

    with psycopg2.connect(**postgres_params()) as conn, conn.cursor() as cur:
        cur.execute("select nspname from pg_namespace where nspname = %s or starts_with(nspname, %s)",
                    (prefix, prefix + "_"))
        for (schema,) in cur.fetchall():
            cur.execute(f'drop schema "{schema}" cascade')
    conn.close()


# ------------------------------------------------------------ built warehouses
# duckdb_warehouse / postgres_warehouse: the sample warehouse `make test` builds
# (built on first use when missing), see warehouse_util.py.
from warehouse_util import duckdb_warehouse, postgres_warehouse  # noqa: E402,F401
