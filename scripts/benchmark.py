#!/usr/bin/env python3
"""End-to-end timings anyone can rerun: generate -> load_raw -> dbt build.

For each delivery size N (people):
  1. scripts/generate_raw.py --people N --out OUT/people_N   (deterministic, seed 42)
  2. for each target: scripts/load_raw.py into the raw schema, then
     scripts/dbt_run.py build --target T --vars '{as_of: ..., load_sample_data: false}'
Each target runs isolated: DBT_SCHEMA=bench_N (schemas bench_N_raw, bench_N_staging, ...) and
DUCKDB_PATH=OUT/people_N/bench.duckdb. Both are wiped first, so every run starts clean.
load_sample_data: false disables the sample seeds, which would otherwise overwrite the delivery.

Wall-clock seconds per step, row counts (delivered, loaded, built per schema) and the
dbt result counts go to OUT/results.json; a markdown table is printed at the end.
dbt output goes to OUT/people_N/dbt_build_<target>.log, its artifacts to OUT/people_N/dbt/<target>/.

Usage:
    scripts/benchmark.py [--people N [N ...]] [--targets dev,pg] [--out bench/]
                         [--profiles-dir DIR] [--reuse] [--no-dbt] [--as-of TS] [--verbose]

    scripts/benchmark.py --people 2000 20000 100000 --targets dev,pg
    scripts/benchmark.py --people 1000 --targets dev --no-dbt    # generator + loader only

profiles.yml: --profiles-dir, else the project root's profiles.yml, else a temporary copy of
profiles.yml.example. dbt runs through scripts/dbt_run.py, which installs the hub packages or,
offline, placeholders, and skips the package-backed tests that cannot run.

Exit code: 0 when every step succeeded, 1 when any step failed (reported, never hidden),
2 on bad arguments.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import connections  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_AS_OF = "2026-06-30T00:00:00Z"
DBT_RUN = PROJECT_DIR / "scripts" / "dbt_run.py"


# ------------------------------------------------------------------- records
@dataclass
class Step:
    ok: bool = False
    seconds: float | None = None
    error: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class TargetRun:
    target: str
    load: Step = field(default_factory=Step)
    dbt_build: Step | None = None


@dataclass
class SizeRun:
    people: int
    directory: str
    generate: Step = field(default_factory=Step)
    targets: list[TargetRun] = field(default_factory=list)


def say(line: str) -> None:
    print(line, flush=True)


def import_load_raw() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_raw", PROJECT_DIR / "scripts" / "load_raw.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- generation
def delivery_is_reusable(directory: Path, people: int, as_of: str) -> bool:
    manifest = directory / "_truth" / "manifest.json"
    if not manifest.is_file():
        return False
    data = json.loads(manifest.read_text())
    return data.get("people") == people and data.get("as_of") == as_of and all(
        (directory / f"{t}.csv").is_file() for t in data.get("rows", {}))


def generate(people: int, directory: Path, as_of: str, reuse: bool) -> Step:
    """Run the generator (or reuse an identical earlier delivery)."""
    step = Step()
    if reuse and delivery_is_reusable(directory, people, as_of):
        step.ok, step.detail["reused"] = True, True
    else:
        cmd = [sys.executable, str(PROJECT_DIR / "scripts" / "generate_raw.py"), "--people", str(people),
               "--out", str(directory), "--as-of", as_of, "--quiet"]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        step.seconds = round(time.perf_counter() - t0, 2)
        if proc.returncode != 0:
            step.error = f"generate_raw.py exited {proc.returncode}: {tail(proc.stderr + proc.stdout, 15)}"
            return step
        step.ok = True
    rows = json.loads((directory / "_truth" / "manifest.json").read_text())["rows"]
    step.detail.update(rows=rows, total_rows=sum(rows.values()))
    return step


# ------------------------------------------------------------------- targets
def bench_env(people: int, directory: Path) -> dict[str, str]:
    return {**os.environ, "DBT_SCHEMA": f"bench_{people}", "DUCKDB_PATH": str(directory.resolve() / "bench.duckdb")}


def in_prefix(schema: str, prefix: str) -> bool:
    """Whether a schema belongs to the run's DBT_SCHEMA prefix (bench_N or bench_N_<layer>)."""
    return schema == prefix or schema.startswith(prefix + "_")


def wipe(target: connections.Target, prefix: str) -> None:
    """Start clean: delete the benchmark's DuckDB file or drop its Postgres schemas."""
    if target.type == "duckdb":
        for suffix in ("", ".wal"):
            Path(target.credentials["path"] + suffix).unlink(missing_ok=True)
        return
    conn = target.connect()
    try:
        with conn, conn.cursor() as cur:
            cur.execute("select nspname from pg_namespace")
            for schema in [r[0] for r in cur.fetchall() if in_prefix(r[0], prefix)]:
                cur.execute(f'drop schema "{schema}" cascade')
    finally:
        conn.close()


def run_load(load_raw: ModuleType, target: connections.Target, directory: Path) -> Step:
    step = Step()
    t0 = time.perf_counter()
    try:
        result = load_raw.load(directory, target, echo=lambda line: say(f"    {line}"))
    except load_raw.DeliveryError as exc:
        step.error = "delivery refused: " + "; ".join(exc.problems)
    except (load_raw.LoadRawError, connections.ConnectionsError) as exc:
        step.error = str(exc)
    else:
        step.ok = True
        step.detail.update(rows=result.rows, total_rows=result.total_rows,
                           table_seconds={t: round(s, 2) for t, s in result.seconds.items()})
    step.seconds = round(time.perf_counter() - t0, 2)
    return step


# ----------------------------------------------------------------------- dbt
def run_results_summary(path: Path) -> dict[str, Any]:
    """Status counts and the slowest nodes from dbt's run_results.json."""
    if not path.is_file():
        return {}
    results = json.loads(path.read_text()).get("results", [])
    statuses = Counter(f"{r['unique_id'].split('.')[0]}:{r['status']}" for r in results)
    slowest = sorted(results, key=lambda r: r.get("execution_time") or 0, reverse=True)[:10]
    return {"nodes": len(results), "statuses": dict(sorted(statuses.items())),
            "slowest": [{"node": r["unique_id"], "seconds": round(r.get("execution_time") or 0, 2)}
                        for r in slowest]}


def done_line(log: Path) -> str:
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if "Done. PASS=" in line:
            return line.split("Done. ", 1)[1].strip()
    return ""


def run_dbt_build(target: str, project_dir: Path, profiles_dir: Path, directory: Path, env: dict[str, str],
                  as_of: str, verbose: bool) -> Step:
    artifacts = directory / "dbt" / target
    log = directory / f"dbt_build_{target}.log"
    cmd = [sys.executable, str(DBT_RUN), "build", "--target", target, "--profiles-dir", str(profiles_dir),
           "--project-dir", str(project_dir), "--target-path", str(artifacts / "target"),
           "--log-path", str(artifacts / "logs"), "--vars", f'{{as_of: "{as_of}", load_sample_data: false}}']
    step = Step(detail={"command": " ".join(cmd), "log": str(log)})
    t0 = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            fh.write(line)
            if verbose:
                print(f"    | {line}", end="", flush=True)
        # wait4: this child's own peak RSS (dbt-duckdb runs DuckDB in-process, so this is DuckDB's peak;
        # on Postgres it is the dbt client only, the server's memory is not counted)
        _, status, usage = os.wait4(proc.pid, 0)
        returncode = os.waitstatus_to_exitcode(status)
        proc.returncode = returncode
    step.seconds = round(time.perf_counter() - t0, 2)
    step.detail.update(returncode=returncode, result=done_line(log),
                       peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
                       **run_results_summary(artifacts / "target" / "run_results.json"))
    step.ok = returncode == 0
    if not step.ok:
        step.error = f"dbt build exited {returncode}: see {log}"
        say(tail(log.read_text(errors="replace"), 25, indent="    | "))
    return step


def built_rows(target: connections.Target, prefix: str) -> dict[str, dict[str, int]]:
    """Rows of every table dbt built under the prefix, by schema (raw excluded)."""
    if target.type == "duckdb":
        with target.connect(read_only=True) as con:
            tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
            wanted = [(s, t) for s, t in tables if in_prefix(s, prefix) and s != f"{prefix}_raw"]
            counts = [(s, t, con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]) for s, t in wanted]
    else:
        conn = target.connect()
        try:
            with conn, conn.cursor() as cur:
                cur.execute("select table_schema, table_name from information_schema.tables "
                            "where table_type = 'BASE TABLE'")
                wanted = [(s, t) for s, t in cur.fetchall() if in_prefix(s, prefix) and s != f"{prefix}_raw"]
                counts = []
                for s, t in wanted:
                    cur.execute(f'select count(*) from "{s}"."{t}"')
                    counts.append((s, t, cur.fetchone()[0]))
        finally:
            conn.close()
    out: dict[str, dict[str, int]] = {}
    for schema, table, rows in sorted(counts):
        out.setdefault(schema, {})[table] = rows
    return out


# ------------------------------------------------------------------- driving
def run_size(people: int, args: argparse.Namespace, load_raw: ModuleType, project_dir: Path,
             profiles_dir: Path) -> SizeRun:
    directory = (args.out / f"people_{people}").resolve()
    run = SizeRun(people, str(directory))
    say(f"== {people:,} people -> {directory}")
    run.generate = generate(people, directory, args.as_of, args.reuse)
    if not run.generate.ok:
        say(f"  generate FAILED: {run.generate.error}")
        return run
    how = "reused" if run.generate.detail.get("reused") else f"{run.generate.seconds:.1f}s"
    say(f"  generated {run.generate.detail['total_rows']:,} rows ({how})")
    env = bench_env(people, directory)
    prefix = env["DBT_SCHEMA"]
    for name in args.targets:
        tr = TargetRun(name)
        run.targets.append(tr)
        target = connections.resolve_target(name, profiles_dir, env=env)
        say(f"  -- {target.describe()}, schemas {prefix}_*")
        try:
            wipe(target, prefix)
        except Exception as exc:  # noqa: BLE001 - reported as the load step's failure
            tr.load.error = f"cannot prepare target: {str(exc).strip().splitlines()[0]}"
            say(f"  load FAILED: {tr.load.error}")
            continue
        tr.load = run_load(load_raw, target, directory)
        if not tr.load.ok:
            say(f"  load FAILED: {tr.load.error}")
            continue
        say(f"  loaded {tr.load.detail['total_rows']:,} rows in {tr.load.seconds:.1f}s")
        if args.no_dbt:
            continue
        say("  dbt build ...")
        tr.dbt_build = run_dbt_build(name, project_dir, profiles_dir, directory, env, args.as_of, args.verbose)
        if tr.dbt_build.ok or tr.dbt_build.detail.get("nodes"):
            tr.dbt_build.detail["built_rows"] = built_rows(target, prefix)
        state = "ok" if tr.dbt_build.ok else "FAILED"
        say(f"  dbt build {state} in {tr.dbt_build.seconds:.1f}s {tr.dbt_build.detail.get('result', '')}"
            f" (peak RSS {tr.dbt_build.detail.get('peak_rss_mb')} MB)")
    return run


def fmt_s(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}"


def markdown(runs: list[SizeRun]) -> str:
    lines = ["| people | target | raw rows | generate s | load s | load rows/s | dbt build s | dbt result "
             "| built tables | built rows |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"]
    for run in runs:
        gen = "reused" if run.generate.detail.get("reused") else fmt_s(run.generate.seconds)
        raw = run.generate.detail.get("total_rows")
        for tr in run.targets or [TargetRun("-")]:
            rate = f"{raw / tr.load.seconds:,.0f}" if tr.load.ok and raw and tr.load.seconds else ""
            load = fmt_s(tr.load.seconds) if tr.load.ok else "FAILED"
            build, result, n_tables, n_rows = "", "not run", "", ""
            if tr.dbt_build:
                build = fmt_s(tr.dbt_build.seconds)
                result = ("ok " if tr.dbt_build.ok else "FAILED ") + tr.dbt_build.detail.get("result", "")
                built = tr.dbt_build.detail.get("built_rows", {})
                n_tables = f"{sum(len(t) for t in built.values()):,}"
                n_rows = f"{sum(sum(t.values()) for t in built.values()):,}"
            lines.append(f"| {run.people:,} | {tr.target} | {raw or 0:,} | {gen} | {load} | {rate} | {build} "
                         f"| {result.strip()} | {n_tables} | {n_rows} |")
    return "\n".join(lines)


def environment(profiles_dir: Path) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    def ver(pkg: str) -> str | None:
        try:
            return version(pkg)
        except PackageNotFoundError:
            return None

    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_DIR, capture_output=True, text=True)
    return {"started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "host": platform.node(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "dbt_core": ver("dbt-core"), "dbt_duckdb": ver("dbt-duckdb"),
            "dbt_postgres": ver("dbt-postgres"), "duckdb": ver("duckdb"), "git_commit": commit.stdout.strip(),
            "git_dirty": bool(dirty.stdout.strip()), "profiles_dir": str(profiles_dir)}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="benchmark.py", description="End-to-end timings: generate, load_raw, "
                                 "dbt build, per delivery size and target.")
    ap.add_argument("--people", nargs="+", default=["2000", "20000"],
                    help="delivery sizes in people, space or comma separated (default 2000 20000)")
    ap.add_argument("--targets", default="dev,pg", help="comma-separated dbt targets (default dev,pg)")
    ap.add_argument("--out", type=Path, default=PROJECT_DIR / "bench", help="output directory (default bench/)")
    ap.add_argument("--profiles-dir", type=Path, help="profiles.yml directory (default: project root, else a "
                                                      "temporary copy of profiles.yml.example)")
    ap.add_argument("--as-of", default=DEFAULT_AS_OF, help=f"reference time for data and run ({DEFAULT_AS_OF})")
    ap.add_argument("--reuse", action="store_true", help="reuse an existing identical delivery instead of "
                                                         "generating it again (its generate time is not measured)")
    ap.add_argument("--no-dbt", action="store_true", help="generate and load only")
    ap.add_argument("--verbose", action="store_true", help="stream dbt output")
    args = ap.parse_args(argv)
    try:
        args.people = [int(p) for chunk in args.people for p in chunk.split(",") if p.strip()]
    except ValueError:
        ap.error(f"--people takes whole numbers, got {' '.join(args.people)}")
    if not args.people or min(args.people) < 10:
        ap.error("--people must be at least 10")
    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    if not args.targets:
        ap.error("--targets is empty")
    return args


def choose_profiles_dir(explicit: Path | None, workdir: Path) -> Path:
    if explicit:
        return explicit.resolve()
    if (PROJECT_DIR / "profiles.yml").is_file():
        return PROJECT_DIR
    shutil.copy(PROJECT_DIR / "profiles.yml.example", workdir / "profiles.yml")
    return workdir


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_raw = import_load_raw()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench_") as tmp:
        workdir = Path(tmp)
        profiles_dir = choose_profiles_dir(args.profiles_dir, workdir)
        try:  # fail fast on a target the profile does not have
            for name in args.targets:
                connections.resolve_target(name, profiles_dir, env=bench_env(args.people[0], args.out))
        except connections.ConfigError as exc:
            print(f"benchmark.py: {exc}", file=sys.stderr)
            return 2
        if not args.no_dbt:
            subprocess.run([sys.executable, str(DBT_RUN), "deps"], cwd=PROJECT_DIR, check=False)
        project_dir = PROJECT_DIR
        env_info = environment(profiles_dir)
        t0 = time.perf_counter()
        runs = [run_size(n, args, load_raw, project_dir, profiles_dir) for n in args.people]
    results = {"environment": env_info, "as_of": args.as_of, "targets": args.targets,
               "total_seconds": round(time.perf_counter() - t0, 1), "runs": [asdict(r) for r in runs]}
    results_path = args.out / "results.json"
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    failures = [f"{r.people} people: generate: {r.generate.error}" for r in runs if not r.generate.ok]
    for r in runs:
        for tr in r.targets:
            for label, step in (("load", tr.load), ("dbt build", tr.dbt_build)):
                if step is not None and not step.ok:
                    failures.append(f"{r.people} people, {tr.target}: {label}: {step.error}")
    say("\n" + markdown(runs) + f"\n\nresults: {results_path}")
    if failures:
        print("\nFAILED steps:\n" + "\n".join(f"  {f}" for f in failures), file=sys.stderr)
        return 1
    return 0


def tail(text: str, lines: int, indent: str = "") -> str:
    return "\n".join(indent + line for line in text.strip().splitlines()[-lines:])


if __name__ == "__main__":
    sys.exit(main())
