"""Elementary's monitors catch injected incidents, exactly those, and nothing on the clean delivery (DuckDB).

The clean delivery is the sample (seeds/sample, what `scripts/generate_raw.py --people 2000` writes); the
quiet side is checked on the sample warehouse in test_elementary.py. Here a copy gets the incidents of
scripts/inject_incidents.py (one day on which web events drop by 70 %, payments whose amounts triple), is
loaded with scripts/load_raw.py, gets a column added to the delivered orders table (load_raw refuses an
unknown column, so it is added as a loader that accepted it would), and is built with
`load_sample_data: false`. Every monitor that does not pass must be explained by one of the incidents, and
every incident must be flagged.

Postgres: not run here (one more ~5-minute build); the same monitors run in the Postgres sample build.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_browser import chromium  # noqa: F401 (fixture)
from warehouse_util import SAMPLE_AS_OF

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = "pytest_incidents"

# monitor (test kind, table, column or dimension) -> the incident that explains it
EXPECTED = {
    ("schema_changes_from_baseline", "orders", "favourite_colour"): "column added to the delivered orders",
    ("dimension_anomalies", "brz_tracking__events", "platform"): "web events of 2026-06-29 -70 %",
    ("column_anomalies", "brz_oms__payments", "amount"): "payments of 2026-06-28/29 x 3",
}
# flagged as well because the same incident reaches them (web events are most of the day's events,
# and sessions are built from events); allowed, not required
DOWNSTREAM = {
    ("volume_anomalies", "brz_tracking__events", None): "web events of 2026-06-29 -70 %",
    ("dimension_anomalies", "brz_tracking__events", "event_type"): "web events of 2026-06-29 -70 %",
    ("dimension_anomalies", "fct_sessions", "platform"): "web events of 2026-06-29 -70 %",
    ("volume_anomalies", "fct_sessions", None): "web events of 2026-06-29 -70 %",
    ("volume_anomalies", "fct_touchpoints", None): "web events of 2026-06-29 -70 %",
    ("column_anomalies", "fct_sessions", "events_count"): "web events of 2026-06-29 -70 %",
}


def run(cmd: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def incident_warehouse(tmp_path_factory):
    import duckdb

    tmp = tmp_path_factory.mktemp("incidents")
    delivery, db = tmp / "delivery", tmp / "incidents.duckdb"
    env = {**os.environ, "DUCKDB_PATH": str(db), "DBT_SCHEMA": SCHEMA, "DBT_PROFILES_DIR": str(ROOT)}
    run([sys.executable, "scripts/inject_incidents.py", "--src", "seeds/sample", "--out", str(delivery)], env)
    run([sys.executable, "scripts/load_raw.py", "--dir", str(delivery), "--target", "dev", "--profiles-dir", str(ROOT),
         "--quiet"], env)
    with duckdb.connect(str(db)) as con:
        con.execute(f"alter table {SCHEMA}_raw.orders add column favourite_colour varchar")
    # unit tests read the sample seeds, which load_sample_data: false disables
    proc = subprocess.run([sys.executable, "scripts/dbt_run.py", "build", "--target", "dev",
                           "--exclude", "resource_type:unit_test", "--vars",
                           f'{{load_sample_data: false, as_of: "{SAMPLE_AS_OF}"}}'],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert "ERROR=0" in proc.stdout, proc.stdout[-5000:]
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def flagged(con) -> dict[tuple, str]:
    rows = con.execute(f"""
        select r.test_short_name, lower(r.table_name), lower(r.column_name), r.test_params, r.status
        from {SCHEMA}_elementary.elementary_test_results r
        where r.test_type in ('anomaly_detection', 'schema_change') and r.status <> 'pass'""").fetchall()
    out = {}
    for short_name, table, column, params, status in rows:
        key_col = column or None
        if short_name == "dimension_anomalies":
            import json
            key_col = ",".join(json.loads(params).get("dimensions") or [])
        out[(short_name, table, key_col)] = status
    return out


@pytest.mark.slow
def test_monitors_flag_exactly_the_injected_incidents(incident_warehouse):
    got = flagged(incident_warehouse)
    missing = sorted(set(EXPECTED) - set(got))
    unexplained = sorted(set(got) - set(EXPECTED) - set(DOWNSTREAM))
    assert not missing, f"incidents not flagged: {[(k, EXPECTED[k]) for k in missing]}; flagged: {got}"
    assert not unexplained, f"false alarms: {unexplained}; flagged: {got}"


@pytest.mark.slow
def test_the_monitors_ran_on_the_incident_delivery(incident_warehouse):
    n = incident_warehouse.execute(f"select count(*) from {SCHEMA}_elementary.elementary_test_results "
                                   "where test_type in ('anomaly_detection', 'schema_change')").fetchone()[0]
    assert n >= 60


@pytest.mark.slow
def test_report_shows_the_incidents(incident_warehouse, chromium, tmp_path):
    """Elementary's report of the incident warehouse lists the flagged monitors as warnings, by table."""
    from test_browser import dump_dom, visible_text

    import shutil

    db = incident_warehouse.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    shutil.copy(db, tmp_path / "incidents.duckdb")  # edr opens the file for writing: a copy
    out = tmp_path / "incident_report.html"
    env = {**os.environ, "DUCKDB_PATH": str(tmp_path / "incidents.duckdb"), "DBT_SCHEMA": SCHEMA,
           "DBT_PROFILES_DIR": str(ROOT)}
    run([sys.executable, "scripts/elementary_report.py", "--target", "dev", "--out", str(out)], env)
    text = visible_text(dump_dom(chromium, out.as_uri() + "#/report/test-results", tmp_path))
    warnings = re.search(r"Warnings \((\d+)\)", text)
    assert warnings and int(warnings.group(1)) >= len(EXPECTED), text[:3000]
    # rows of the list: table, column, test, sub-type, source, last run, status (warnings first)
    for row in (r"orders favourite_colour schema_changes_from_baseline column_added",
                r"brz_tracking__events - dimension_anomalies dimension",
                r"brz_oms__payments amount column_anomalies average"):
        assert re.search(row + r" dbt [\d/]+ [\d:]+ [AP]M Warning", text, re.I), f"{row} not a warning: {text[:4000]}"
