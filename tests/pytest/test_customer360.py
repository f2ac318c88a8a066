"""Customer 360 gold layer: SCD2 snapshots over a replayed history, and both engines agreeing.

The sample build takes one snapshot (as_of 2026-06-30), so it never exercises a change. Here the
snapshots are rebuilt from scratch on a copy of the DuckDB warehouse by replaying month-end as_of
values over the same delivery: every lifecycle change becomes a new version stamped with the as_of
of the run that saw it, and the dbt tests of the replayed models (one current version per key,
contiguous validity windows, relationships, contracts) run at every step.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from warehouse_util import ROOT, SAMPLE_AS_OF, Warehouse, default_duckdb_path, duckdb_warehouse, postgres_warehouse  # noqa: F401

REPLAY_AS_OF = ["2025-12-31T00:00:00Z", "2026-03-31T00:00:00Z", SAMPLE_AS_OF]
CUSTOMER360 = ("path:models/silver/conformed path:models/silver/activity path:models/silver/lifecycle "
               "path:models/silver/marketing path:models/silver/product slv_served_customers "
               "path:snapshots path:models/gold")


def build_customer360(env: dict[str, str], as_of: str) -> None:
    cmd = [sys.executable, str(ROOT / "scripts" / "dbt_run.py"), "build", "--target", "dev", "--select", *CUSTOMER360.split(),
           "--vars", f'{{as_of: "{as_of}"}}']
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    assert proc.returncode == 0, f"build at as_of {as_of} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"


@pytest.fixture(scope="module")
def replayed(duckdb_warehouse: Warehouse, tmp_path_factory):  # noqa: F811
    """A copy of the DuckDB warehouse whose snapshots were rebuilt by replaying REPLAY_AS_OF."""
    import duckdb

    copy = tmp_path_factory.mktemp("replay") / "replay.duckdb"
    shutil.copy(default_duckdb_path(), copy)
    snapshots = duckdb_warehouse.schema("snapshots")
    with duckdb.connect(str(copy)) as conn:
        conn.execute(f"drop table if exists {snapshots}.snp_customer_states")
        conn.execute(f"drop table if exists {snapshots}.snp_campaign_status")
    env = {"DUCKDB_PATH": str(copy), "DBT_SCHEMA": duckdb_warehouse.prefix,
           "DBT_TARGET_PATH": str(copy.parent / "target"), "DBT_LOG_PATH": str(copy.parent / "logs")}
    for as_of in REPLAY_AS_OF:
        build_customer360(env, as_of)
    conn = duckdb.connect(str(copy), read_only=True)
    yield Warehouse("duckdb", duckdb_warehouse.prefix, conn)
    conn.close()


def test_replay_versions_are_stamped_with_each_as_of(replayed: Warehouse):
    rows = replayed.query(f"select distinct cast(dbt_valid_from as date) from {replayed.schema('snapshots')}"
                          f".snp_customer_states order by 1")
    assert [str(r[0]) for r in rows] == [a[:10] for a in REPLAY_AS_OF]


def test_replay_records_real_transitions(replayed: Warehouse):
    """The snapshot's observed history: one version per stage change seen at a replayed as_of. (fct_lifecycle_transitions
    no longer reads the snapshot: it reads the history derived in one build, see test_lifecycle_history.py.)"""
    snapshots = replayed.schema("snapshots")
    changes = replayed.query(
        f"select previous_stage, lifecycle_stage, count(*) from ("
        f"select lifecycle_stage, lag(lifecycle_stage) over (partition by customer360_id order by dbt_valid_from) "
        f"as previous_stage from {snapshots}.snp_customer_states) as versions "
        f"where previous_stage is not null and previous_stage <> lifecycle_stage group by 1, 2")
    assert sum(n for _, _, n in changes) > 100
    pairs = {(f, t) for f, t, _ in changes}
    # the stages follow the calendar: active customers who stop buying age into at_risk, at_risk into lapsed
    assert ("active", "at_risk") in pairs and ("at_risk", "lapsed") in pairs
    gold = replayed.schema("gold")
    first = replayed.scalar(f"select count(*) from {gold}.fct_lifecycle_transitions where is_first_observation")
    assert first == replayed.scalar(f"select count(*) from {gold}.dim_customer")


def test_replayed_snapshot_agrees_with_the_derived_history(replayed: Warehouse):
    """Each version the replay recorded (the stage a run saw at its as_of) is the stage the history derived in the
    last build gives at that instant, for the customers both know: the observed and the derived histories agree
    while the past data does not change."""
    sql = (f"select count(*), count(case when versions.lifecycle_stage <> history.lifecycle_stage then 1 end) "
           f"from {replayed.schema('snapshots')}.snp_customer_states as versions "
           f"inner join {replayed.schema('silver')}.slv_customer_lifecycle_history as history "
           f"on versions.customer360_id = history.customer360_id and history.valid_from <= versions.dbt_valid_from "
           f"and (history.valid_to is null or history.valid_to > versions.dbt_valid_from)")
    compared, differing = replayed.query(sql)[0]
    assert compared > 0
    assert differing == 0


def test_replay_ends_where_the_one_shot_build_is(replayed: Warehouse, duckdb_warehouse: Warehouse):  # noqa: F811
    sql = "select customer360_id, lifecycle_stage, orders_count, opt_in_status from {}.dim_customer order by 1"
    assert replayed.query(sql.format(replayed.schema("gold"))) == duckdb_warehouse.query(
        sql.format(duckdb_warehouse.schema("gold")))
    current = (f"select customer360_id, lifecycle_stage from {{}}.snp_customer_states "
               f"where dbt_valid_to is null order by 1")
    assert replayed.query(current.format(replayed.schema("snapshots"))) == replayed.query(
        f"select customer360_id, lifecycle_stage from {replayed.schema('silver')}.slv_customer_states order by 1")


def test_every_stage_is_populated_on_the_sample(duckdb_warehouse: Warehouse):  # noqa: F811
    stages = dict(duckdb_warehouse.query(
        f"select lifecycle_stage, count(*) from {duckdb_warehouse.schema('gold')}.dim_customer group by 1"))
    assert set(stages) == {"prospect", "new", "reactivated", "active", "at_risk", "lapsed", "churned"}


def test_engines_build_the_same_customer360(duckdb_warehouse: Warehouse, postgres_warehouse: Warehouse):  # noqa: F811
    sql = ("select customer360_id, lifecycle_stage, orders_count, cast(total_revenue as varchar), opt_in_status, "
           "preferred_channel, age, consent_scopes, interests, segments, cast(churn_risk_score as varchar), "
           "cast(engagement_score as varchar), cast(propensity_to_buy_score as varchar), total_sessions, "
           "primary_email, household_id from {}.dim_customer order by customer360_id")
    duck = duckdb_warehouse.query(sql.format(duckdb_warehouse.schema("gold")))
    pg = postgres_warehouse.query(sql.format(postgres_warehouse.schema("gold")))
    assert len(duck) == len(pg) > 0
    assert duck == pg
    daily = "select count(*), sum(cumulative_orders), count(distinct lifecycle_stage) from {}.fct_customer_daily_snapshot"
    assert duckdb_warehouse.query(daily.format(duckdb_warehouse.schema("gold"))) == postgres_warehouse.query(
        daily.format(postgres_warehouse.schema("gold")))


def test_dim_customer_has_every_field_of_the_profile_spec(duckdb_warehouse: Warehouse):  # noqa: F811
    import re

    spec = ROOT.parent / "shared" / "spec" / "004_4777c527ac7749b1.txt"
    if not spec.exists():
        pytest.skip(f"profile spec not found at {spec}")
    fields = set(re.findall(r"^\|\s*`([a-z0-9_]+)`\s*\|", spec.read_text(encoding="utf-8"), flags=re.M))
    assert len(fields) > 40, "the spec's field tables were not recognised"
    columns = {r[0] for r in duckdb_warehouse.query(
        "select column_name from information_schema.columns "
        f"where table_schema = '{duckdb_warehouse.schema('gold')}' and table_name = 'dim_customer'")}
    assert fields - columns == set()


def test_a_rerun_at_a_recorded_as_of_replaces_that_version(duckdb_warehouse: Warehouse, tmp_path):  # noqa: F811
    """Rebuilding at the as_of the snapshot already recorded (the pinned sample built twice after a change)
    replaces that version instead of stacking a zero-length one on it (snapshot pre-hooks)."""
    import duckdb

    copy = tmp_path / "rerun.duckdb"
    shutil.copy(default_duckdb_path(), copy)
    silver, snapshots = duckdb_warehouse.schema("silver"), duckdb_warehouse.schema("snapshots")
    with duckdb.connect(str(copy)) as conn:
        changed = [r[0] for r in conn.execute(
            f"select customer360_id from {silver}.slv_customer_states where loyalty_tier = 'Bronze' "
            f"order by 1 limit 3").fetchall()]
        assert len(changed) == 3
        conn.execute(f"update {silver}.slv_customer_states set loyalty_tier = 'Platinum' "
                     f"where customer360_id in ({', '.join(repr(c) for c in changed)})")
        states = conn.execute(f"select count(*) from {silver}.slv_customer_states").fetchone()[0]
    env = {**os.environ, "DUCKDB_PATH": str(copy), "DBT_SCHEMA": duckdb_warehouse.prefix,
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    cmd = [sys.executable, str(ROOT / "scripts" / "dbt_run.py"), "build", "--target", "dev", "--select",
           "snp_customer_states", "--indirect-selection", "cautious", "--vars", f'{{as_of: "{SAMPLE_AS_OF}"}}']
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    with duckdb.connect(str(copy), read_only=True) as conn:
        rows, ids, starts = conn.execute(f"select count(*), count(distinct dbt_scd_id), count(distinct dbt_valid_from) "
                                         f"from {snapshots}.snp_customer_states").fetchone()
        tiers = {r[0] for r in conn.execute(f"select loyalty_tier from {snapshots}.snp_customer_states where "
                                            f"customer360_id in ({', '.join(repr(c) for c in changed)})").fetchall()}
    assert (rows, ids, starts) == (states, states, 1)
    assert tiers == {"Platinum"}
