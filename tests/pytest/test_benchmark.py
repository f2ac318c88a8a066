"""Smoke tests of scripts/benchmark.py: generator + loader end to end (no dbt run).

Run: pytest tests/pytest/test_benchmark.py -q
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROFILES_YML = """\
customer_analytics:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{{{ env_var('DUCKDB_PATH') }}}}"
      schema: "{{{{ env_var('DBT_SCHEMA') }}}}"
    pg_nowhere:
      type: postgres
      host: 127.0.0.1
      port: 1
      user: nobody
      password: ""
      dbname: nothing
      schema: "{{{{ env_var('DBT_SCHEMA') }}}}"
"""


def bench(project_root: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profiles = tmp_path / "profiles"
    profiles.mkdir(exist_ok=True)
    (profiles / "profiles.yml").write_text(PROFILES_YML.format())
    return subprocess.run([sys.executable, str(project_root / "scripts" / "benchmark.py"), "--out",
                           str(tmp_path / "bench"), "--profiles-dir", str(profiles), "--no-dbt", *args],
                          capture_output=True, text=True)


def test_generate_and_load_records_results(project_root: Path, tmp_path: Path) -> None:
    proc = bench(project_root, tmp_path, "--people", "20,30", "--targets", "dev")
    assert proc.returncode == 0, proc.stderr
    results = json.loads((tmp_path / "bench" / "results.json").read_text())
    assert [r["people"] for r in results["runs"]] == [20, 30]
    for run in results["runs"]:
        delivered = run["generate"]["detail"]["rows"]
        load = run["targets"][0]["load"]
        assert load["ok"] and load["detail"]["rows"] == delivered
        assert (Path(run["directory"]) / "bench.duckdb").is_file()
    assert "| 20 | dev |" in proc.stdout and "| 30 | dev |" in proc.stdout


def test_failed_step_is_reported_with_nonzero_exit(project_root: Path, tmp_path: Path) -> None:
    proc = bench(project_root, tmp_path, "--people", "20", "--targets", "dev,pg_nowhere")
    assert proc.returncode == 1
    assert "20 people, pg_nowhere: load:" in proc.stderr
    results = json.loads((tmp_path / "bench" / "results.json").read_text())
    dev, pg = results["runs"][0]["targets"]
    assert dev["load"]["ok"] and not pg["load"]["ok"]


def test_unknown_target_is_refused(project_root: Path, tmp_path: Path) -> None:
    proc = bench(project_root, tmp_path, "--people", "20", "--targets", "nope")
    assert proc.returncode == 2
    assert "target 'nope' not found" in proc.stderr
    assert "Traceback" not in proc.stderr
