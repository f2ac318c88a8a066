"""scripts/connections.py: the one way scripts and tests read dbt targets and connect.

Run: pytest tests/pytest/test_connections.py -q (the Postgres test skips without a server).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import connections  # tests/pytest/conftest.py puts scripts/ on sys.path

TWO_TARGETS = """\
customer_analytics:
  target: "{{{{ env_var('DBT_TARGET', 'dev') }}}}"
  outputs:
    dev:
      type: duckdb
      path: "{duckdb}"
      schema: "{{{{ env_var('DBT_SCHEMA', 'pytest') }}}}"
    pg:
      type: postgres
      host: "{{{{ env_var('PGHOST', '127.0.0.1') }}}}"
      port: "{{{{ env_var('PGPORT', '5432') | as_number }}}}"
      user: "{{{{ env_var('PGUSER', 'postgres') }}}}"
      password: "{{{{ env_var('PGPASSWORD', '') }}}}"
      dbname: "{{{{ env_var('PGDATABASE', 'postgres') }}}}"
      schema: "{{{{ env_var('DBT_SCHEMA', 'pytest') }}}}"
"""


@pytest.fixture
def example_profiles(project_root: Path, tmp_path: Path) -> Path:
    d = tmp_path / "example"
    d.mkdir()
    shutil.copy(project_root / "profiles.yml.example", d / "profiles.yml")
    return d


@pytest.fixture
def profiles_dir(tmp_path: Path) -> Path:
    d = tmp_path / "profiles"
    d.mkdir()
    (d / "profiles.yml").write_text(TWO_TARGETS.format(duckdb=tmp_path / "w.duckdb"))
    return d


def test_resolve_target_renders_env_vars(example_profiles: Path, tmp_path: Path) -> None:
    env = {"DBT_SCHEMA": "alice", "PGPORT": "6543", "PGHOST": "db.example", "DUCKDB_PATH": str(tmp_path / "a.duckdb")}
    pg = connections.resolve_target("pg", example_profiles, env=env)
    assert (pg.type, pg.schema, pg.raw_schema) == ("postgres", "alice", "alice_raw")
    assert pg.credentials["port"] == 6543 and pg.credentials["host"] == "db.example"
    dev = connections.resolve_target(None, example_profiles, env=env)  # profile default: DBT_TARGET or dev
    assert (dev.name, dev.type, dev.credentials["path"]) == ("dev", "duckdb", str(tmp_path / "a.duckdb"))
    assert connections.resolve_target("prod", example_profiles, env=env).raw_schema == "raw"
    assert connections.resolve_target(None, example_profiles, env={"DBT_TARGET": "pg", "USER": "bob"}).raw_schema \
        == "dbt_bob_raw"


def test_layer_schemas_follow_generate_schema_name(example_profiles: Path) -> None:
    dev = connections.resolve_target("dev", example_profiles, env={"DBT_SCHEMA": "ci_x"})
    prod = connections.resolve_target("prod", example_profiles, env={})
    assert [dev.layer_schema(x) for x in ("raw", "silver")] == ["ci_x_raw", "ci_x_silver"]
    assert [prod.layer_schema(x) for x in ("raw", "silver")] == ["raw", "silver"]


def test_profiles_dir_lookup_order(example_profiles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = connections.resolve_target("dev", None, env={"DBT_PROFILES_DIR": str(example_profiles)})
    assert found.profiles_path == example_profiles / "profiles.yml"
    # --profiles-dir wins over $DBT_PROFILES_DIR
    other = tmp_path / "other"
    shutil.copytree(example_profiles, other)
    assert connections.resolve_target("dev", other, env={"DBT_PROFILES_DIR": str(example_profiles)}) \
        .profiles_path == other / "profiles.yml"
    monkeypatch.chdir(example_profiles)
    assert connections.resolve_target("dev", None, env={}).profiles_path == example_profiles / "profiles.yml"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(connections.ProfilesNotFound, match="no profiles.yml in"):
        connections.resolve_target("dev", empty, env={})


def test_home_dbt_is_the_last_resort(example_profiles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    shutil.copytree(example_profiles, home / ".dbt")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    assert connections.resolve_target("dev", None, env={}).profiles_path == home / ".dbt" / "profiles.yml"
    monkeypatch.setenv("HOME", str(tmp_path / "nobody"))
    with pytest.raises(connections.ProfilesNotFound, match="copy profiles.yml.example"):
        connections.resolve_target("dev", None, env={})


def test_project_target_falls_back_to_the_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    target = connections.project_target("pg", env={"PGPORT": "6000"})
    assert target.profiles_path.name == "profiles.yml.example"
    assert (target.credentials["host"], target.credentials["port"]) == ("127.0.0.1", 6000)


def test_missing_env_var_is_named(tmp_path: Path) -> None:
    (tmp_path / "profiles.yml").write_text(
        "customer_analytics:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        "      path: \"{{ env_var('PYTEST_NO_SUCH_VAR') }}\"\n      schema: x\n")
    with pytest.raises(connections.ConfigError, match="PYTEST_NO_SUCH_VAR"):
        connections.resolve_target("dev", tmp_path, env={})


def test_unknown_and_unsupported_targets(profiles_dir: Path) -> None:
    with pytest.raises(connections.ConfigError, match="target 'nope' not found.*dev, pg"):
        connections.resolve_target("nope", profiles_dir, env={})
    (profiles_dir / "profiles.yml").write_text(
        "customer_analytics:\n  target: sf\n  outputs:\n    sf:\n      type: snowflake\n      schema: x\n")
    with pytest.raises(connections.ConfigError, match="type 'snowflake'.*duckdb and postgres"):
        connections.resolve_target(None, profiles_dir, env={})


def test_duckdb_connect_creates_the_directory_and_reads_back(tmp_path: Path) -> None:
    (tmp_path / "profiles.yml").write_text(TWO_TARGETS.format(duckdb=tmp_path / "sub" / "w.duckdb"))
    dev = connections.resolve_target("dev", tmp_path, env={})
    with dev.connect() as con:
        con.execute("create table t as select 42 as x")
    with dev.connect(read_only=True) as con:
        assert con.execute("select x from t").fetchall() == [(42,)]
    with pytest.raises(connections.ConnectError, match="cannot open DuckDB file"):
        connections.duckdb_file(tmp_path / "missing.duckdb").connect(read_only=True)


def test_unreachable_postgres_is_a_readable_error(profiles_dir: Path) -> None:
    pg = connections.resolve_target("pg", profiles_dir, env={"PGPORT": "1"})
    with pytest.raises(connections.ConnectError, match="cannot connect to Postgres for target 'pg'.*127.0.0.1:1"):
        pg.connect(connect_timeout=2)


@pytest.mark.postgres
def test_postgres_connect(postgres: dict) -> None:
    target = connections.project_target("pg")
    conn = target.connect()
    try:
        with conn.cursor() as cur:
            cur.execute("select 1")
            assert cur.fetchone() == (1,)
    finally:
        conn.close()


def test_evaluate_identity_reads_the_target(project_root: Path, profiles_dir: Path, tmp_path: Path) -> None:
    """evaluate_identity.py takes its warehouse and silver schema from the target, like the loader."""
    dev = connections.resolve_target("dev", profiles_dir, env={"DBT_SCHEMA": "pytest"})
    with dev.connect() as con:
        con.execute("create schema pytest_silver")
        con.execute("create table pytest_silver.slv_customer_id_map as select * from (values "
                    "('crm', 'CRM-1', 'C1'), ('ecom', 'WEB-1', 'C1'), ('loyalty', 'LOY-1', 'C2')) "
                    "as t(source_system, source_id, customer360_id)")
    truth = tmp_path / "truth"
    truth.mkdir()
    (truth / "person_map.csv").write_text("source_system,source_id,person_id\ncrm,CRM-1,P1\necom,WEB-1,P1\n"
                                          "loyalty,LOY-1,P1\n")
    script = str(project_root / "scripts" / "evaluate_identity.py")
    env = {"PATH": "/usr/bin:/bin", "DBT_SCHEMA": "pytest"}
    proc = subprocess.run([sys.executable, script, "--truth", str(truth), "--target", "dev", "--profiles-dir",
                           str(profiles_dir), "--json"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    known = json.loads(proc.stdout)["known_systems"]
    assert (known["identifiers"], known["precision"], known["split_people"]) == (3, 1.0, 1)
    proc = subprocess.run([sys.executable, script, "--truth", str(truth), "--duckdb", dev.credentials["path"],
                           "--schema", "pytest_silver"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0 and "known_systems" in proc.stdout, proc.stderr
    proc = subprocess.run([sys.executable, script, "--truth", str(truth), "--target", "nope", "--profiles-dir",
                           str(profiles_dir)], capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "target 'nope' not found" in proc.stderr and "Traceback" not in proc.stderr
