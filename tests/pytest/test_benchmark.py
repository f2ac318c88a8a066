"""Tests of scripts/benchmark.py.

- generator, one pass and loader end to end (--no-dbt; seconds);
- the ratios, growth, README block and plot on made-up figures (no database; seconds);
- one tiny end-to-end run, 60 people on DuckDB with the full dbt build (marked slow: the build's ~1,600 nodes take
  minutes, most of it fixed cost), checking results.json's ratios and query timings, the PNG and the README rewrite
  on a copy.

Run: pytest tests/pytest/test_benchmark.py -q      (-m "not slow" leaves the end-to-end run out)
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

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


def bench(project_root: Path, tmp_path: Path, *args: str, dbt: bool = False) -> subprocess.CompletedProcess[str]:
    profiles = tmp_path / "profiles"
    profiles.mkdir(exist_ok=True)
    (profiles / "profiles.yml").write_text(PROFILES_YML.format())
    return subprocess.run([sys.executable, str(project_root / "scripts" / "benchmark.py"), "--out",
                           str(tmp_path / "bench"), "--profiles-dir", str(profiles), *([] if dbt else ["--no-dbt"]),
                           *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def benchmark(project_root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_under_test", project_root / "scripts" / "benchmark.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generate_and_load_records_results(project_root: Path, tmp_path: Path) -> None:
    proc = bench(project_root, tmp_path, "--people", "20,30", "--targets", "dev")
    assert proc.returncode == 0, proc.stderr
    results = json.loads((tmp_path / "bench" / "results.json").read_text())
    assert [r["people"] for r in results["runs"]] == [20, 30]
    for run in results["runs"]:
        delivered = run["generate"]["detail"]["rows"]
        load = run["targets"][0]["load"]
        assert load["ok"] and load["detail"]["rows"] == delivered
        one_pass = run["targets"][0]["one_pass"]
        assert one_pass["ok"] and one_pass["seconds"] > 0 and one_pass["detail"]["rows"] == delivered
        assert not (Path(run["directory"]) / "one_pass.duckdb").exists()  # the scratch file is dropped
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


def made_up_runs(benchmark: ModuleType) -> list:
    runs = []
    for people, factor in ((1000, 1.0), (10000, 12.0)):
        run = benchmark.SizeRun(people, "/nowhere")
        run.generate = benchmark.Step(True, 1.0, None, {"total_rows": people * 40})
        for name, engine, build in (("dev", "duckdb", 40.0), ("pg", "postgres", 90.0)):
            tr = benchmark.TargetRun(name, engine)
            tr.one_pass = benchmark.Step(True, 2.0 * factor)
            tr.load = benchmark.Step(True, 1.0 * factor)
            tr.dbt_build = benchmark.Step(True, build * factor, None, {"result": "PASS=9", "peak_rss_mb": 512.0})
            lookup = benchmark.query_summary([4.0, 12.0, 5.0], 1, benchmark.LOOKUP)
            trend = benchmark.query_summary([2500.0], 12, "dda_05_twelve_month_revenue_trend")
            tr.queries = benchmark.Step(True, 1.0, None, {benchmark.LOOKUP: lookup,
                                                          "dda_05_twelve_month_revenue_trend": trend})
            tr.ratio = benchmark.target_ratio(tr)
            run.targets.append(tr)
        runs.append(run)
    return runs


def test_ratios_growth_and_goals(benchmark: ModuleType) -> None:
    runs = made_up_runs(benchmark)
    dev = runs[0].targets[0].ratio
    assert dev["load_plus_build_s"] == 41.0 and dev["ratio"] == 20.5 and dev["goal"] == 5.0 and not dev["goal_met"]
    growth = {g["target"]: g for g in benchmark.growth(runs)}
    assert growth["dev"]["people_ratio"] == 10 and growth["dev"]["time_ratio"] == 12
    assert growth["dev"]["growth"] == 1.2 and not growth["dev"]["goal_met"]
    lookup = runs[0].targets[1].queries.detail[benchmark.LOOKUP]
    assert lookup["median_ms"] == 5.0 and lookup["goal_met"] and lookup["dda_target_met"]


def test_readme_block_and_rewrite(benchmark: ModuleType) -> None:
    runs = made_up_runs(benchmark)
    env = {"started_at": "2026-12-04T02:00:00+00:00", "cpus": 2, "load_average_start": [1.5, 1, 1],
           "git_commit": "0123456789abcdef"}
    block = benchmark.readme_block(runs, benchmark.growth(runs), env, "--people 1000,10000", Path("docs/b.png"))
    assert "| 1,000 | 40,000 | DuckDB | 2.0 | 1.0 | 40.0 | 20.5 × (≤ 5) ✗ | 512 | ok PASS=9 |" in block
    assert "| 10,000 | Postgres | 5.00 ✓ | 2,500 ✓ |" in block
    assert "Postgres (load + build) / one pass ≤ 8 ×: **not met**" in block
    assert "Postgres lookup by id < 10 ms: **met**" in block
    assert "![time against people per engine, log-log](docs/b.png)" in block
    text = "# Title\n\nintro\n<!-- benchmark:start -->\nold figures\n<!-- benchmark:end -->\n\nafter\n"
    new = benchmark.rewrite_readme(text, block)
    assert "old figures" not in new and block in new
    assert new.startswith("# Title\n\nintro\n<!-- benchmark:start -->\n")
    assert new.endswith("<!-- benchmark:end -->\n\nafter\n")
    assert benchmark.rewrite_readme(new, "again") == text.replace("old figures", "again")
    with pytest.raises(ValueError, match="markers"):
        benchmark.rewrite_readme("no markers here", block)


def test_plot_is_a_png(benchmark: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "docs" / "plot.png"
    benchmark.plot_runs(made_up_runs(benchmark), path)
    assert path.read_bytes()[:8] == PNG_MAGIC


def test_postgres_types_from_duckdb_sniffing(benchmark: ModuleType) -> None:
    assert benchmark.pg_type("BIGINT") == "bigint"
    assert benchmark.pg_type("DOUBLE") == "double precision"
    assert benchmark.pg_type("DECIMAL(18,2)") == "numeric(18,2)"
    assert benchmark.pg_type("TIMESTAMP WITH TIME ZONE") == "timestamptz"
    assert benchmark.pg_type("VARCHAR") == "text"


@pytest.mark.slow
def test_tiny_end_to_end_run(project_root: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# copy\n\n<!-- benchmark:start -->\nOLD FIGURES\n<!-- benchmark:end -->\n")
    plot = tmp_path / "benchmark.png"
    proc = bench(project_root, tmp_path, "--people", "60", "--targets", "dev", "--readme", str(readme),
                 "--plot", str(plot), dbt=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    results = json.loads((tmp_path / "bench" / "results.json").read_text())
    dev = results["runs"][0]["targets"][0]
    assert dev["one_pass"]["ok"] and dev["dbt_build"]["ok"]
    ratio = dev["ratio"]
    assert ratio["goal"] == 5.0 and ratio["ratio"] == pytest.approx(ratio["load_plus_build_s"] / ratio["one_pass_s"],
                                                                    rel=0.01)
    assert len(dev["dbt_build"]["detail"]["slowest"]) == 10 and dev["dbt_build"]["detail"]["peak_rss_mb"] > 0
    queries = dev["queries"]["detail"]
    assert {"customer_lookup", "dda_01_lifetime_value_by_segment",
            "dda_02_campaign_performance_by_type_and_date_range", "dda_03_interaction_frequency_and_outcomes",
            "dda_04_cross_campaign_customer_behaviour", "dda_05_twelve_month_revenue_trend"} <= set(queries)
    assert all(q["median_ms"] > 0 for q in queries.values())
    assert queries["customer_lookup"]["runs"] >= 2 and "goal_met" in queries["customer_lookup"]
    assert plot.read_bytes()[:8] == PNG_MAGIC
    text = readme.read_text()
    assert "OLD FIGURES" not in text and "| 60 |" in text and "DuckDB" in text
    assert "(load + build) / one pass" in proc.stdout
