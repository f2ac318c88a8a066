#!/usr/bin/env python3
"""End-to-end timings anyone can rerun, measured in ONE run so a ratio never mixes two machines' moods.

For each delivery size N (people) and each target (engine):
  1. scripts/generate_raw.py --people N --out OUT/people_N   (deterministic, seed 42), once per size
  2. the one-pass reference on that engine (what reading the delivery once and writing it typed costs):
       DuckDB   - a scratch DuckDB file; per table `create table t as select * from read_csv(file, header = true)`
                  (DuckDB's type sniffing: one read of every CSV, one typed write of every table)
       Postgres - a scratch schema <prefix>_onepass; per table COPY the file into a table of text columns (the
                  same COPY options as load_raw.py), then `create table typed as select cast(col as T) ...` where
                  T is the type DuckDB's sniffer gives that column (BIGINT -> bigint, DOUBLE -> double precision,
                  DATE -> date, TIMESTAMP -> timestamp, BOOLEAN -> boolean, VARCHAR -> text, ...; the sniffing
                  itself is not timed). One COPY and one typed write per table.
     The scratch file / schema is dropped afterwards.
  3. scripts/load_raw.py into the raw schema, then scripts/dbt_run.py build --target T
     --vars '{as_of: ..., load_sample_data: false}' (every model, snapshot and test);
  4. the DDA queries on the built gold: the analyses analyses/dda_*.sql compiled against the bench schemas
     (median of 5 runs after one warm-up, rows fetched), and the customer lookup by id on dim_customer
     (median of 20 lookups of different ids after one warm-up).
Ratios: (load + build) / one pass per engine and size, against the goals (DuckDB <= 5, Postgres <= 8), and the
growth between consecutive sizes, (time ratio) / (people ratio), goal <= 1.1 (10x the people in at most 11x the
time). Query medians are compared with issue 13's goals (lookup < 10 ms, campaign aggregation by type and date range
< 0.5 s, 12-month trend < 3 s, on Postgres gold) and the DDA's targets (100 ms, 5 s, 30 s).

Each target runs isolated: DBT_SCHEMA=bench_N (schemas bench_N_raw, bench_N_staging, ...) and
DUCKDB_PATH=OUT/people_N/bench.duckdb. Both are wiped first, so every run starts clean.
load_sample_data: false disables the sample seeds, which would otherwise overwrite the delivery.

Outputs: OUT/results.json (environment, per size and target every step with its seconds, the ratios, dbt's ten
slowest nodes, peak RSS, the query timings; the growth ratios), the plot docs/benchmark.png (--plot; time against
people per engine, log-log, load + build and one pass), and the part of README.md between the markers
<!-- benchmark:start --> and <!-- benchmark:end --> (--readme; --no-readme leaves it alone; a --no-dbt run never
touches it). Progress lines go to stdout while it runs. dbt output goes to OUT/people_N/dbt_build_<target>.log, its
artifacts to OUT/people_N/dbt/<target>/.

Usage:
    scripts/benchmark.py [--people N[,N...]] [--large] [--targets dev,pg] [--out bench/]
                         [--profiles-dir DIR] [--reuse] [--no-dbt] [--no-readme] [--readme FILE] [--plot FILE]
                         [--clean] [--as-of TS] [--verbose]

    scripts/benchmark.py                                  # 10,000 and 100,000 people, DuckDB and Postgres
    scripts/benchmark.py --large                          # ... and 1,000,000
    scripts/benchmark.py --people 1000 --targets dev --no-dbt    # generator, one pass and loader only

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
import re
import shutil
import statistics
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
DEFAULT_PEOPLE = "10000,100000"
LARGE_PEOPLE = 1_000_000

# issue 13's goals (this machine: 2 cores, 24 GiB)
RATIO_GOALS = {"duckdb": 5.0, "postgres": 8.0}  # (load + full build, tests included) / one pass
GROWTH_GOAL = 1.1  # (time ratio) / (people ratio) between consecutive sizes: 10x the people in <= 11x the time
LOOKUP = "customer_lookup"
# query -> (issue 13 goal ms, DDA target ms); the goals are set for Postgres gold
QUERY_TARGETS_MS = {
    LOOKUP: (10, 100),
    "dda_02_campaign_performance_by_type_and_date_range": (500, 5000),
    "dda_05_twelve_month_revenue_trend": (3000, 30000),
}
QUERY_RUNS = 5  # timed runs of each DDA analysis, after one warm-up
LOOKUPS = 20  # different customer ids looked up, after one warm-up

README_START = "<!-- benchmark:start -->"
README_END = "<!-- benchmark:end -->"


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
    engine: str = ""
    one_pass: Step = field(default_factory=Step)
    load: Step = field(default_factory=Step)
    dbt_build: Step | None = None
    queries: Step | None = None
    ratio: dict[str, Any] = field(default_factory=dict)


@dataclass
class SizeRun:
    people: int
    directory: str
    generate: Step = field(default_factory=Step)
    targets: list[TargetRun] = field(default_factory=list)


def say(line: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {line}", flush=True)


def import_load_raw() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_raw", PROJECT_DIR / "scripts" / "load_raw.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def qi(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
    csv_bytes = sum((directory / f"{t}.csv").stat().st_size for t in rows if (directory / f"{t}.csv").is_file())
    step.detail.update(rows=rows, total_rows=sum(rows.values()), csv_mb=round(csv_bytes / 2**20, 1))
    return step


# ------------------------------------------------------------------ one pass
# DuckDB's sniffed type -> the Postgres type of the typed copy
PG_TYPES = [(r"^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$", "bigint"),
            (r"^(UBIGINT|HUGEINT|UHUGEINT)$", "numeric"), (r"^(FLOAT|DOUBLE|REAL)$", "double precision"),
            (r"^DECIMAL\(\d+,\s*\d+\)$", None), (r"^BOOLEAN$", "boolean"), (r"^DATE$", "date"),
            (r"^TIMESTAMP WITH TIME ZONE$", "timestamptz"), (r"^TIMESTAMP(_NS|_MS|_S)?$", "timestamp"),
            (r"^TIME$", "time")]


def pg_type(duck_type: str) -> str:
    for pattern, pg in PG_TYPES:
        if re.match(pattern, duck_type):
            return pg or duck_type.lower().replace("decimal", "numeric")
    return "text"


def delivery_tables(directory: Path, contract: dict[str, list[str]]) -> list[tuple[str, Path]]:
    return [(t, directory / f"{t}.csv") for t in contract if (directory / f"{t}.csv").is_file()]


def read_csv_sql(path: Path) -> str:
    return f"read_csv({ql(str(path))}, header = true)"


def sniffed_types(tables: list[tuple[str, Path]]) -> dict[str, list[tuple[str, str]]]:
    """The column types DuckDB's CSV sniffer gives every file (a sample read, not a pass over the file)."""
    import duckdb

    with duckdb.connect() as con:
        return {t: [(r[0], r[1]) for r in con.execute(f"describe select * from {read_csv_sql(p)}").fetchall()]
                for t, p in tables}


def one_pass_duckdb(tables: list[tuple[str, Path]], scratch: Path) -> Step:
    """Read every CSV once and write one typed copy of each table, in a scratch DuckDB file (dropped after)."""
    import duckdb

    step = Step()
    for suffix in ("", ".wal"):
        Path(str(scratch) + suffix).unlink(missing_ok=True)
    con = duckdb.connect(str(scratch))
    try:
        con.execute("set preserve_insertion_order = false")
        t0 = time.perf_counter()
        seconds, rows = {}, {}
        for table, path in tables:
            t1 = time.perf_counter()
            con.execute(f"create table {qi(table)} as select * from {read_csv_sql(path)}")
            con.execute("checkpoint")
            seconds[table] = round(time.perf_counter() - t1, 2)
        step.seconds = round(time.perf_counter() - t0, 2)
        for table, _ in tables:
            rows[table] = con.execute(f"select count(*) from {qi(table)}").fetchone()[0]
        step.ok = True
        step.detail.update(definition="create table t as select * from read_csv(file, header = true), per file, "
                                      "checkpointed", rows=rows, total_rows=sum(rows.values()),
                           table_seconds=seconds)
    except duckdb.Error as exc:
        step.error = f"one pass failed: {connections.first_line(exc)}"
    finally:
        con.close()
        for suffix in ("", ".wal"):
            Path(str(scratch) + suffix).unlink(missing_ok=True)
    return step


def one_pass_postgres(target: connections.Target, tables: list[tuple[str, Path]], schema: str,
                      types: dict[str, list[tuple[str, str]]]) -> Step:
    """COPY every file into a scratch table of text columns, then write one typed copy of each (schema dropped)."""
    step = Step()
    conn = target.connect()
    try:
        conn.autocommit = True
        conn.set_client_encoding("UTF8")
        with conn.cursor() as cur:
            cur.execute(f"drop schema if exists {qi(schema)} cascade")
            cur.execute(f"create schema {qi(schema)}")
            t0 = time.perf_counter()
            seconds, rows, fallbacks = {}, {}, []
            for table, path in tables:
                t1 = time.perf_counter()
                columns = types[table]
                text_rel, typed_rel = f"{qi(schema)}.{qi('text_' + table)}", f"{qi(schema)}.{qi(table)}"
                cols = ", ".join(qi(c) for c, _ in columns)
                cur.execute(f"create table {text_rel} ({', '.join(qi(c) + ' text' for c, _ in columns)})")
                with path.open("rb") as fh:
                    cur.copy_expert(f"copy {text_rel} ({cols}) from stdin with (format csv, header true, "
                                    f"force_null ({cols}))", fh, size=1 << 20)
                casts = ", ".join(f"cast({qi(c)} as {pg_type(t)}) as {qi(c)}" for c, t in columns)
                try:
                    cur.execute(f"create table {typed_rel} as select {casts} from {text_rel}")
                except Exception as exc:  # noqa: BLE001 - a value Postgres reads differently: keep it as text
                    fallbacks.append(f"{table}: {connections.first_line(exc)}")
                    cur.execute(f"create table {typed_rel} as select * from {text_rel}")
                rows[table] = cur.rowcount
                seconds[table] = round(time.perf_counter() - t1, 2)
            step.seconds = round(time.perf_counter() - t0, 2)
            cur.execute(f"drop schema {qi(schema)} cascade")
        step.ok = True
        step.detail.update(definition="COPY file -> text table, create table typed as select cast(col as <type "
                                      "DuckDB sniffs>) from it, per file", rows=rows, total_rows=sum(rows.values()),
                           table_seconds=seconds, typed_as_text=fallbacks)
    except Exception as exc:  # noqa: BLE001 - reported as the step's failure
        step.error = f"one pass failed: {connections.first_line(exc)}"
        try:
            with conn.cursor() as cur:
                cur.execute(f"drop schema if exists {qi(schema)} cascade")
        except Exception:  # noqa: BLE001
            pass
    finally:
        conn.close()
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
    """Status counts, thread time by resource type and the slowest nodes from dbt's run_results.json."""
    if not path.is_file():
        return {}
    results = json.loads(path.read_text()).get("results", [])
    statuses = Counter(f"{r['unique_id'].split('.')[0]}:{r['status']}" for r in results)
    thread_seconds: Counter[str] = Counter()
    for r in results:
        thread_seconds[r["unique_id"].split(".")[0]] += r.get("execution_time") or 0
    slowest = sorted(results, key=lambda r: r.get("execution_time") or 0, reverse=True)[:10]
    return {"nodes": len(results), "statuses": dict(sorted(statuses.items())),
            "thread_seconds": {k: round(v, 1) for k, v in sorted(thread_seconds.items())},
            "slowest": [{"node": r["unique_id"], "seconds": round(r.get("execution_time") or 0, 2)}
                        for r in slowest]}


def done_line(log: Path) -> str:
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if "Done. PASS=" in line:
            return line.split("Done. ", 1)[1].strip()
    return ""


def dbt_cmd(command: str, target: str, project_dir: Path, profiles_dir: Path, artifacts: Path,
            as_of: str) -> list[str]:
    return [sys.executable, str(DBT_RUN), command, "--target", target, "--profiles-dir", str(profiles_dir),
            "--project-dir", str(project_dir), "--target-path", str(artifacts / "target"),
            "--log-path", str(artifacts / "logs"), "--vars", f'{{as_of: "{as_of}", load_sample_data: false}}']


def run_dbt_build(target: str, project_dir: Path, profiles_dir: Path, directory: Path, env: dict[str, str],
                  as_of: str, verbose: bool) -> Step:
    artifacts = directory / "dbt" / target
    log = directory / f"dbt_build_{target}.log"
    cmd = dbt_cmd("build", target, project_dir, profiles_dir, artifacts, as_of)
    step = Step(detail={"command": " ".join(cmd), "log": str(log)})
    t0 = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        assert proc.stdout is not None
        done = 0
        for line in proc.stdout:
            fh.write(line)
            if verbose:
                print(f"    | {line}", end="", flush=True)
            elif re.search(r"\d+ of \d+ (OK|PASS|ERROR|FAIL|WARN|SKIP)", line):
                done += 1
                if done % 100 == 0:  # progress: every 100 finished nodes
                    match = re.search(r"(\d+) of (\d+)", line)
                    say(f"    dbt: {done} of {match.group(2) if match else '?'} nodes done "
                        f"({time.perf_counter() - t0:.0f}s)")
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


# ------------------------------------------------------------------- queries
def dda_analyses(project_dir: Path) -> list[str]:
    return sorted(p.stem for p in (project_dir / "analyses").glob("dda_*.sql"))


def compile_dda(target: str, project_dir: Path, profiles_dir: Path, directory: Path, env: dict[str, str],
                as_of: str) -> dict[str, str]:
    """The DDA analyses compiled against the bench schemas (own target path: the build's artifacts stay)."""
    artifacts = directory / "dbt" / f"{target}_compile"
    names = dda_analyses(project_dir)
    cmd = dbt_cmd("compile", target, project_dir, profiles_dir, artifacts, as_of) + [
        "--no-populate-cache", "--select", *[f"path:analyses/{n}.sql" for n in names]]
    # the build's parse, so the compile does not parse the project again (same project, target and vars)
    parsed = directory / "dbt" / target / "target" / "partial_parse.msgpack"
    if parsed.is_file():
        (artifacts / "target").mkdir(parents=True, exist_ok=True)
        shutil.copy(parsed, artifacts / "target" / "partial_parse.msgpack")
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"dbt compile of the DDA analyses exited {proc.returncode}: "
                           f"{tail(proc.stdout + proc.stderr, 10)}")
    compiled = artifacts / "target" / "compiled"
    found = {p.stem: p.read_text() for p in compiled.rglob("analyses/dda_*.sql")}
    missing = sorted(set(names) - set(found))
    if missing:
        raise RuntimeError(f"dbt compile wrote no SQL for {', '.join(missing)}")
    return found


def timed(run: Any, repeats: int) -> tuple[list[float], int]:
    """Milliseconds of each of `repeats` calls of run() (returning its rows), after one warm-up call."""
    rows = len(run())
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return times, rows


def query_summary(times: list[float], rows: int, name: str) -> dict[str, Any]:
    median = statistics.median(times)
    out: dict[str, Any] = {"median_ms": round(median, 2), "min_ms": round(min(times), 2),
                           "max_ms": round(max(times), 2), "runs": len(times), "rows": rows}
    if name in QUERY_TARGETS_MS:
        goal, dda = QUERY_TARGETS_MS[name]
        out.update(goal_ms=goal, dda_target_ms=dda, goal_met=median < goal, dda_target_met=median < dda)
    return out


def run_queries(target: connections.Target, compiled: dict[str, str]) -> Step:
    """Time the DDA analyses and the customer lookup by id on the built gold."""
    step = Step()
    gold = qi(target.layer_schema("gold"))
    t0 = time.perf_counter()
    conn = target.connect(read_only=True) if target.type == "duckdb" else target.connect()
    try:
        if target.type == "duckdb":
            def fetch(sql: str, params: tuple = ()) -> list[Any]:
                return conn.execute(sql, list(params)).fetchall()
            placeholder = "?"
        else:
            conn.autocommit = True
            cur = conn.cursor()

            def fetch(sql: str, params: tuple = ()) -> list[Any]:
                cur.execute(sql, params or None)
                return cur.fetchall()
            placeholder = "%s"
        results: dict[str, Any] = {}
        for name in sorted(compiled):
            times, rows = timed(lambda sql=compiled[name]: fetch(sql), QUERY_RUNS)
            results[name] = query_summary(times, rows, name)
            say(f"    {name}: {results[name]['median_ms']:,.1f} ms ({rows} rows)")
        ids = [r[0] for r in fetch(f"select customer360_id from {gold}.dim_customer order by customer360_id")]
        if len(ids) < 2:
            raise RuntimeError(f"dim_customer holds {len(ids)} customers, too few to time lookups")
        picked = [ids[i * len(ids) // LOOKUPS] for i in range(LOOKUPS)] if len(ids) >= LOOKUPS else ids
        picked = list(dict.fromkeys(picked))
        lookup = f"select * from {gold}.dim_customer where customer360_id = {placeholder}"
        fetch(lookup, (ids[-1],))  # warm-up
        times = []
        for cid in picked:
            t1 = time.perf_counter()
            found = fetch(lookup, (cid,))
            times.append((time.perf_counter() - t1) * 1000)
            if len(found) != 1:
                raise RuntimeError(f"lookup of {cid} returned {len(found)} rows")
        results[LOOKUP] = query_summary(times, 1, LOOKUP)
        results[LOOKUP]["sql"] = lookup
        say(f"    {LOOKUP}: {results[LOOKUP]['median_ms']:,.2f} ms (median of {len(times)} ids)")
        step.ok = True
        step.detail = results
    except Exception as exc:  # noqa: BLE001 - reported as the step's failure
        step.error = f"queries failed: {connections.first_line(exc)}"
    finally:
        conn.close()
    step.seconds = round(time.perf_counter() - t0, 2)
    return step


# -------------------------------------------------------------------- ratios
def target_ratio(tr: TargetRun) -> dict[str, Any]:
    if not (tr.one_pass.ok and tr.load.ok and tr.dbt_build and tr.one_pass.seconds):
        return {}
    total = (tr.load.seconds or 0) + (tr.dbt_build.seconds or 0)
    goal = RATIO_GOALS.get(tr.engine)
    ratio = total / tr.one_pass.seconds
    return {"one_pass_s": tr.one_pass.seconds, "load_plus_build_s": round(total, 2), "ratio": round(ratio, 2),
            "goal": goal, "goal_met": bool(goal and tr.dbt_build.ok and ratio <= goal), "build_ok": tr.dbt_build.ok}


def growth(runs: list[SizeRun]) -> list[dict[str, Any]]:
    """(time ratio) / (people ratio) of load + build, and of one pass, between consecutive sizes per target."""
    out = []
    by_target: dict[str, list[tuple[int, TargetRun]]] = {}
    for run in sorted(runs, key=lambda r: r.people):
        for tr in run.targets:
            if tr.ratio:
                by_target.setdefault(tr.target, []).append((run.people, tr))
    for name, points in by_target.items():
        for (p1, a), (p2, b) in zip(points, points[1:]):
            people_ratio = p2 / p1
            time_ratio = b.ratio["load_plus_build_s"] / a.ratio["load_plus_build_s"]
            one_pass_ratio = b.ratio["one_pass_s"] / a.ratio["one_pass_s"]
            g = time_ratio / people_ratio
            out.append({"target": name, "engine": a.engine, "from_people": p1, "to_people": p2,
                        "people_ratio": round(people_ratio, 3), "time_ratio": round(time_ratio, 3),
                        "growth": round(g, 3), "one_pass_growth": round(one_pass_ratio / people_ratio, 3),
                        "goal": GROWTH_GOAL, "goal_met": g <= GROWTH_GOAL})
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
    say(f"  generated {run.generate.detail['total_rows']:,} rows, {run.generate.detail['csv_mb']:,} MB of CSV ({how})")
    env = bench_env(people, directory)
    prefix = env["DBT_SCHEMA"]
    tables = delivery_tables(directory, load_raw.load_contract(project_dir))
    types: dict[str, list[tuple[str, str]]] | None = None
    for name in args.targets:
        target = connections.resolve_target(name, profiles_dir, env=env)
        tr = TargetRun(name, target.type)
        run.targets.append(tr)
        say(f"  -- {target.describe()}, schemas {prefix}_*")
        try:
            wipe(target, prefix)
        except Exception as exc:  # noqa: BLE001 - reported as the load step's failure
            tr.load.error = f"cannot prepare target: {str(exc).strip().splitlines()[0]}"
            say(f"  load FAILED: {tr.load.error}")
            continue
        say("  one pass ...")
        if target.type == "duckdb":
            tr.one_pass = one_pass_duckdb(tables, directory / "one_pass.duckdb")
        else:
            types = types or sniffed_types(tables)
            tr.one_pass = one_pass_postgres(target, tables, f"{prefix}_onepass", types)
        if tr.one_pass.ok:
            say(f"  one pass: {tr.one_pass.detail['total_rows']:,} rows in {tr.one_pass.seconds:.1f}s")
        else:
            say(f"  one pass FAILED: {tr.one_pass.error}")
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
        tr.ratio = target_ratio(tr)
        if tr.ratio:
            say(f"  (load + build) / one pass = {tr.ratio['load_plus_build_s']:.1f}s / {tr.ratio['one_pass_s']:.1f}s"
                f" = {tr.ratio['ratio']:.1f} x (goal <= {tr.ratio['goal']:g} x: "
                f"{'met' if tr.ratio['goal_met'] else 'NOT met'})")
        say("  DDA queries ...")
        try:
            compiled = compile_dda(name, project_dir, profiles_dir, directory, env, args.as_of)
        except RuntimeError as exc:
            tr.queries = Step(error=str(exc))
        else:
            tr.queries = run_queries(target, compiled)
        if not tr.queries.ok:
            say(f"  queries FAILED: {tr.queries.error}")
        if args.clean:
            wipe(target, prefix)
    if args.clean and not args.reuse:
        for _, path in tables:
            path.unlink(missing_ok=True)
    return run


# ------------------------------------------------------------------- outputs
def fmt_s(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}"


def fmt_ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}" if value < 10 else f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def markdown(runs: list[SizeRun]) -> str:
    """The steps per size and target (printed at the end of every run)."""
    lines = ["| people | target | raw rows | generate s | one pass s | load s | load rows/s | dbt build s "
             "| dbt result | built tables | built rows |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"]
    for run in runs:
        gen = "reused" if run.generate.detail.get("reused") else fmt_s(run.generate.seconds)
        raw = run.generate.detail.get("total_rows")
        for tr in run.targets or [TargetRun("-")]:
            rate = f"{raw / tr.load.seconds:,.0f}" if tr.load.ok and raw and tr.load.seconds else ""
            load = fmt_s(tr.load.seconds) if tr.load.ok else "FAILED"
            one = fmt_s(tr.one_pass.seconds) if tr.one_pass.ok else "FAILED"
            build, result, n_tables, n_rows = "", "not run", "", ""
            if tr.dbt_build:
                build = fmt_s(tr.dbt_build.seconds)
                result = ("ok " if tr.dbt_build.ok else "FAILED ") + tr.dbt_build.detail.get("result", "")
                built = tr.dbt_build.detail.get("built_rows", {})
                n_tables = f"{sum(len(t) for t in built.values()):,}"
                n_rows = f"{sum(sum(t.values()) for t in built.values()):,}"
            lines.append(f"| {run.people:,} | {tr.target} | {raw or 0:,} | {gen} | {one} | {load} | {rate} | {build} "
                         f"| {result.strip()} | {n_tables} | {n_rows} |")
    return "\n".join(lines)


ENGINE_LABEL = {"duckdb": "DuckDB", "postgres": "Postgres"}


def short_query(name: str) -> str:
    return "lookup by id" if name == LOOKUP else name.split("_", 2)[0] + "_" + name.split("_", 2)[1]


def goal_lines(runs: list[SizeRun], growths: list[dict[str, Any]]) -> list[str]:
    """One line per goal of issue 13 this run measured: met or not, with the figures."""
    out = []
    for engine, goal in RATIO_GOALS.items():
        points = [(r.people, tr.ratio) for r in runs for tr in r.targets if tr.engine == engine and tr.ratio]
        if points:
            met = [p for p, ratio in points if ratio["goal_met"]]
            figures = ", ".join(f"{p:,}: {ratio['ratio']:.1f} ×" for p, ratio in points)
            verdict = "met" if len(met) == len(points) else ("not met" if not met else
                                                               f"met at {', '.join(f'{p:,}' for p in met)} only")
            out.append(f"- {ENGINE_LABEL[engine]} (load + build) / one pass ≤ {goal:g} ×: **{verdict}** ({figures}).")
    if not growths:
        out.append(f"- Growth (10 × the people in at most {GROWTH_GOAL * 10:g} × the time): not measured, the run has "
                   "one size per engine.")
    for g in growths:
        out.append(f"- Growth {ENGINE_LABEL.get(g['engine'], g['engine'])} {g['from_people']:,} → {g['to_people']:,}: "
                   f"time × {g['time_ratio']:.2f} for people × {g['people_ratio']:g} = {g['growth']:.2f} "
                   f"(goal ≤ {GROWTH_GOAL}): **{'met' if g['goal_met'] else 'not met'}**.")
    for name, (goal, dda) in QUERY_TARGETS_MS.items():
        points = [(r.people, tr.engine, tr.queries.detail[name]) for r in runs for tr in r.targets
                  if tr.queries and tr.queries.ok and name in tr.queries.detail]
        pg = [(p, q) for p, e, q in points if e == "postgres"]
        if pg:
            figures = ", ".join(f"{p:,}: {fmt_ms(q['median_ms'])} ms" for p, q in pg)
            met = all(q["goal_met"] for _, q in pg)
            dda_met = all(q["dda_target_met"] for _, q in pg)
            out.append(f"- Postgres {short_query(name)} < {goal:,} ms: **{'met' if met else 'not met'}** ({figures}; "
                       f"DDA target {dda:,} ms {'met' if dda_met else 'not met'}).")
    return out


def readme_block(runs: list[SizeRun], growths: list[dict[str, Any]], env_info: dict[str, Any], argv: str,
                 plot: Path | None) -> str:
    """The README's benchmark section: the run's table, query timings, growth and which goals it met."""
    started = env_info.get("started_at", "")[:16].replace("T", " ")
    load = env_info.get("load_average_start")
    lines = [f"Run of {started} UTC (`scripts/benchmark.py {argv}`, commit {env_info.get('git_commit', '')[:10]}"
             f"{' + local changes' if env_info.get('git_dirty') else ''}; {env_info.get('cpus')} CPUs, load average "
             f"{load[0]:.1f} at the start{', ' + format(env_info['load_average_end'][0], '.1f') + ' at the end' if env_info.get('load_average_end') else ''}; "
             "every figure of one engine and size comes from the same run). One pass: read every CSV of the "
             "delivery once and write one typed copy of each table on that engine (`scripts/benchmark.py`'s "
             "docstring defines it). Ratio: (load + full `dbt build`, tests included) / one pass.", "",
             "| people | raw rows | engine | one pass s | load s | build s | ratio (goal) | peak RSS MB "
             "| dbt result |",
             "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for run in runs:
        raw = run.generate.detail.get("total_rows") or 0
        for tr in run.targets:
            ratio = (f"{tr.ratio['ratio']:.1f} × (≤ {tr.ratio['goal']:g}) {'✓' if tr.ratio['goal_met'] else '✗'}"
                     if tr.ratio else "")
            build = tr.dbt_build
            result = "" if not build else ("ok " if build.ok else "FAILED ") + build.detail.get("result", "")
            rss = build.detail.get("peak_rss_mb") if build else None
            lines.append(f"| {run.people:,} | {raw:,} | {ENGINE_LABEL.get(tr.engine, tr.target)} "
                         f"| {fmt_s(tr.one_pass.seconds) if tr.one_pass.ok else 'FAILED'} "
                         f"| {fmt_s(tr.load.seconds) if tr.load.ok else 'FAILED'} | {fmt_s(build.seconds if build else None)} "
                         f"| {ratio} | {'' if rss is None else f'{rss:,.0f}'} | {result.strip()} |")
    names = sorted({n for r in runs for tr in r.targets if tr.queries and tr.queries.ok for n in tr.queries.detail},
                   key=lambda n: (n != LOOKUP, n))
    if names:
        lines += ["", f"DDA queries on gold, ms (analyses: median of {QUERY_RUNS} runs after a warm-up, rows fetched; "
                      f"lookup by id: median of {LOOKUPS} different ids on `dim_customer`). Goal of issue 13 / DDA "
                      "target in the header; the goals are set for Postgres.", "",
                  "| people | engine | " + " | ".join(
                      short_query(n) + (f" (< {QUERY_TARGETS_MS[n][0]:,} / {QUERY_TARGETS_MS[n][1]:,})"
                                        if n in QUERY_TARGETS_MS else "") for n in names) + " |",
                  "| ---: | --- | " + " | ".join("---:" for _ in names) + " |"]
        for run in runs:
            for tr in run.targets:
                if not (tr.queries and tr.queries.ok):
                    continue
                cells = []
                for n in names:
                    q = tr.queries.detail.get(n)
                    mark = "" if not q or "goal_met" not in q else (" ✓" if q["goal_met"] else " ✗")
                    cells.append("" if not q else fmt_ms(q["median_ms"]) + mark)
                lines.append(f"| {run.people:,} | {ENGINE_LABEL.get(tr.engine, tr.target)} | " + " | ".join(cells) + " |")
    goals = goal_lines(runs, growths)
    if goals:
        lines += ["", "Goals of issue 13 this run measured:", "", *goals]
    if plot is not None:
        lines += ["", f"![time against people per engine, log-log]({plot.as_posix()})"]
    return "\n".join(lines)


def rewrite_readme(text: str, block: str) -> str:
    """Replace what lies between the benchmark markers (kept) with block; ValueError without both markers."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"README lacks the markers {README_START} ... {README_END} (in that order)")
    return text[:start + len(README_START)] + "\n" + block.strip() + "\n" + text[end:]


def plot_runs(runs: list[SizeRun], path: Path) -> None:
    """Time against people per engine, log-log: load + build (solid), one pass (dashed), the goal (dotted)."""
    plot_results({"runs": [asdict(r) for r in runs]}, path)


def plot_results(results: dict[str, Any], path: Path) -> None:
    """The plot from results.json's content (also: python -c 'import benchmark; benchmark.plot_results(...)')."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    colours = {"duckdb": "tab:orange", "postgres": "tab:blue"}
    runs = results["runs"]
    for name in dict.fromkeys(tr["target"] for r in runs for tr in r["targets"]):
        points = sorted(((r["people"], tr) for r in runs for tr in r["targets"] if tr["target"] == name and tr["ratio"]),
                        key=lambda p: p[0])
        if not points:
            continue
        engine = points[0][1]["engine"]
        label = ENGINE_LABEL.get(engine, name)
        colour = colours.get(engine)
        xs = [p for p, _ in points]
        ax.plot(xs, [tr["ratio"]["load_plus_build_s"] for _, tr in points], "-o", color=colour,
                label=f"{label}: load + build")
        ax.plot(xs, [tr["ratio"]["one_pass_s"] for _, tr in points], "--s", color=colour, label=f"{label}: one pass")
        goal = RATIO_GOALS.get(engine)
        if goal:
            ax.plot(xs, [goal * tr["ratio"]["one_pass_s"] for _, tr in points], ":_", color=colour, alpha=0.7,
                    markersize=14, label=f"{label}: goal, {goal:g} × one pass")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("people in the delivery")
    ax.set_ylabel("seconds")
    ax.set_title("scripts/benchmark.py: full build against one pass")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)


def environment(profiles_dir: Path) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    def ver(pkg: str) -> str | None:
        try:
            return version(pkg)
        except PackageNotFoundError:
            return None

    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_DIR, capture_output=True, text=True)
    try:
        mem_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        mem_gib = None
    return {"started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "host": platform.node(), "platform": platform.platform(), "cpus": os.cpu_count(), "memory_gib": mem_gib,
            "load_average_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "dbt_core": ver("dbt-core"), "dbt_duckdb": ver("dbt-duckdb"),
            "dbt_postgres": ver("dbt-postgres"), "duckdb": ver("duckdb"), "git_commit": commit.stdout.strip(),
            "git_dirty": bool(dirty.stdout.strip()), "profiles_dir": str(profiles_dir)}


def server_version(profiles_dir: Path, targets: list[str], env: dict[str, str]) -> dict[str, str]:
    out = {}
    for name in targets:
        try:
            target = connections.resolve_target(name, profiles_dir, env=env)
            if target.type != "postgres":
                continue
            conn = target.connect()
            try:
                with conn.cursor() as cur:
                    cur.execute("show server_version")
                    out[name] = cur.fetchone()[0]
            finally:
                conn.close()
        except Exception:  # noqa: BLE001 - the run reports the connection failure itself
            continue
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="benchmark.py", description="One run: one-pass reference, load_raw, dbt build "
                                 "and the DDA queries, per delivery size and target; ratios against the goals.")
    ap.add_argument("--people", nargs="+", default=[DEFAULT_PEOPLE],
                    help=f"delivery sizes in people, space or comma separated (default {DEFAULT_PEOPLE})")
    ap.add_argument("--large", action="store_true", help=f"add {LARGE_PEOPLE:,} people to the sizes")
    ap.add_argument("--targets", default="dev,pg", help="comma-separated dbt targets (default dev,pg)")
    ap.add_argument("--out", type=Path, default=PROJECT_DIR / "bench", help="output directory (default bench/)")
    ap.add_argument("--profiles-dir", type=Path, help="profiles.yml directory (default: project root, else a "
                                                      "temporary copy of profiles.yml.example)")
    ap.add_argument("--as-of", default=DEFAULT_AS_OF, help=f"reference time for data and run ({DEFAULT_AS_OF})")
    ap.add_argument("--reuse", action="store_true", help="reuse an existing identical delivery instead of "
                                                         "generating it again (its generate time is not measured)")
    ap.add_argument("--no-dbt", action="store_true", help="generate, one pass and load only (no README, no plot)")
    ap.add_argument("--readme", type=Path, default=PROJECT_DIR / "README.md",
                    help="the README whose benchmark block is rewritten (default README.md)")
    ap.add_argument("--no-readme", action="store_true", help="leave the README alone")
    ap.add_argument("--plot", type=Path, default=PROJECT_DIR / "docs" / "benchmark.png",
                    help="the PNG plot (default docs/benchmark.png)")
    ap.add_argument("--clean", action="store_true", help="after each target: drop its bench schemas / DuckDB file; "
                                                         "after each size: delete the delivery's CSV files")
    ap.add_argument("--verbose", action="store_true", help="stream dbt output")
    args = ap.parse_args(argv)
    try:
        args.people = [int(p) for chunk in args.people for p in chunk.split(",") if p.strip()]
    except ValueError:
        ap.error(f"--people takes whole numbers, got {' '.join(args.people)}")
    if args.large and LARGE_PEOPLE not in args.people:
        args.people.append(LARGE_PEOPLE)
    args.people = sorted(dict.fromkeys(args.people))
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


def display_path(path: Path, base: Path) -> Path:
    try:
        return path.resolve().relative_to(base.resolve())
    except ValueError:
        return path.resolve()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    argv_text = " ".join(sys.argv[1:] if argv is None else argv) or "(defaults)"
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
            subprocess.run([sys.executable, str(DBT_RUN), "deps"], cwd=PROJECT_DIR, check=False,
                           stdout=subprocess.DEVNULL)
        project_dir = PROJECT_DIR
        env_info = environment(profiles_dir)
        env_info["postgres_server"] = server_version(profiles_dir, args.targets, bench_env(args.people[0], args.out))
        say(f"benchmark: {', '.join(f'{p:,}' for p in args.people)} people on {', '.join(args.targets)} "
            f"(load average {env_info['load_average_start'][0]:.1f} on {env_info['cpus']} CPUs)")
        t0 = time.perf_counter()
        runs = [run_size(n, args, load_raw, project_dir, profiles_dir) for n in args.people]
    env_info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    growths = growth(runs)
    results = {"environment": env_info, "as_of": args.as_of, "targets": args.targets, "people": args.people,
               "goals": {"ratio": RATIO_GOALS, "growth": GROWTH_GOAL,
                         "queries_ms": {k: {"goal": g, "dda_target": d} for k, (g, d) in QUERY_TARGETS_MS.items()}},
               "total_seconds": round(time.perf_counter() - t0, 1), "runs": [asdict(r) for r in runs],
               "growth": growths}
    results_path = args.out / "results.json"
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    failures = [f"{r.people} people: generate: {r.generate.error}" for r in runs if not r.generate.ok]
    for r in runs:
        for tr in r.targets:
            for label, step in (("one pass", tr.one_pass), ("load", tr.load), ("dbt build", tr.dbt_build),
                                ("queries", tr.queries)):
                if step is not None and not step.ok and (label != "one pass" or step.error):
                    failures.append(f"{r.people} people, {tr.target}: {label}: {step.error}")
    say("\n" + markdown(runs) + f"\n\nresults: {results_path}")
    if not args.no_dbt:
        readme_dir = args.readme.resolve().parent
        plot_ref = None
        if any(tr.ratio for r in runs for tr in r.targets):
            plot_runs(runs, args.plot)
            plot_ref = display_path(args.plot, readme_dir)
            say(f"plot: {args.plot}")
        block = readme_block(runs, growths, env_info, argv_text, plot_ref)
        say("\n" + block)
        if not args.no_readme:
            try:
                args.readme.write_text(rewrite_readme(args.readme.read_text(), block))
                say(f"README: {args.readme} (between {README_START} and {README_END})")
            except (OSError, ValueError) as exc:
                failures.append(f"README: {exc}")
    for g in growths:
        say(f"growth {g['target']} {g['from_people']:,} -> {g['to_people']:,}: {g['growth']:.2f} "
            f"(goal <= {GROWTH_GOAL})")
    if failures:
        print("\nFAILED steps:\n" + "\n".join(f"  {f}" for f in failures), file=sys.stderr)
        return 1
    return 0


def tail(text: str, lines: int, indent: str = "") -> str:
    return "\n".join(indent + line for line in text.strip().splitlines()[-lines:])


if __name__ == "__main__":
    sys.exit(main())
