#!/usr/bin/env python3
"""Mutation testing of the business logic's SQL (`make mutation`; outside CI, it takes hours).

Each mutant of tests/mutation/mutants.yml replaces one exact string of one file (it must occur exactly
once) by a small, realistic mistake: a flipped comparison or boundary, a dropped filter or join
condition, min for max, a window ordered the other way, a changed constant or threshold, a broken regex.
For each mutant the runner

  1. applies it to a scratch copy of the project (build/mutation/project/, never the work tree),
  2. copies the base DuckDB sample warehouse (built once, without tag:pkg_elementary),
  3. runs `dbt build --full-refresh --select <selection>` on the copy (selection: the mutant's `select`,
     else every model that contains the file or uses a macro of it, with `+`), and, when every model,
     data test and unit test passed,
  4. runs the mutant's pytest files against that warehouse (DuckDB only: Postgres is made unreachable,
     so the Postgres half of a test skips).

Killed: anything failed or errored. Survived: all green. A guard first runs the same selection and
pytest files on the unmutated project (once per selection): a mutant of a selection that already fails is
"invalid", not a kill. Results are cached per mutant in build/mutation/results.json, keyed by a hash of the
mutant and its file's content, so an interrupted run resumes; after adding a test, re-run the mutants it
should kill with --only ID --rerun (which re-runs their guards too). The report goes to
build/mutation/report.md.

    python scripts/mutation.py                 every mutant (cached ones are not run again)
    python scripts/mutation.py --list          the catalogue, with cached results
    python scripts/mutation.py --only rfm_r_rank_asc [--only ...]
    python scripts/mutation.py --area rfm      one area (repeatable)
    python scripts/mutation.py --rerun         ignore the cache for the mutants selected
    python scripts/mutation.py --report        only rewrite the report from the cache
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tests" / "mutation" / "mutants.yml"
OUT = ROOT / "build" / "mutation"
WORK = OUT / "project"
RESULTS = OUT / "results.json"
REPORT = OUT / "report.md"
SAMPLE_AS_OF = "2026-06-30T00:00:00Z"
VARS = f'{{as_of: "{SAMPLE_AS_OF}"}}'
# the mutants' builds skip Elementary's run-end uploads (artifacts, run and test results): no test reads them
# here and they take a fifth of a small build
MUTANT_VARS = (f'{{as_of: "{SAMPLE_AS_OF}", disable_dbt_artifacts_autoupload: true, disable_run_results: true, '
               'disable_tests_results: true, disable_dbt_invocation_autoupload: true}')
EXCLUDE = "tag:pkg_elementary"
SCHEMA = os.environ.get("MUTATION_SCHEMA", "mutation")
BASE_DB = "build/base.duckdb"      # inside WORK
MUTANT_DB = "build/mutant.duckdb"  # inside WORK
AREAS = {"rfm", "cohorts", "attribution", "sessions", "lifecycle", "identity", "dq_rules", "survivorship",
         "consent"}
KINDS = {"comparison", "boundary", "filter", "join", "min_max", "window_order", "constant", "regex"}
BASE_TIMEOUT_S = 1800
# what the base warehouse's data depends on (a new test in a YAML file does not rebuild it); the guards are keyed
# on it too: after changing a test, re-run the mutants it concerns with --rerun, which re-runs their guards
DATA_PATHS = ("models/", "macros/", "snapshots/", "seeds/", "dbt_project.yml", "packages.lock.yml")
DATA_SUFFIXES = (".sql", ".csv", "dbt_project.yml", "packages.lock.yml")


class CatalogueError(Exception):
    pass


@dataclass
class Mutant:
    id: str
    file: str
    find: str
    replace: str
    area: str
    kind: str
    description: str = ""
    select: str | None = None
    pytest: list[str] = field(default_factory=list)
    timeout: int = 1200

    def key(self) -> str:
        """The cache key: the mutant and the content of its file (re-run a mutant after adding a test: --only)."""
        original = (ROOT / self.file).read_text()
        payload = json.dumps([self.id, self.file, self.find, self.replace, self.select, self.pytest, original])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


# ----------------------------------------------------------------- catalogue
def load_catalogue(path: Path = CATALOGUE) -> list[Mutant]:
    """The mutants, checked: fails fast naming the mutant and what is wrong with it."""
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML: {exc}") from exc
    entries = raw.get("mutants") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{path}: expected a top-level 'mutants:' list")
    defaults = raw.get("defaults") or {}
    mutants, seen, problems = [], set(), []
    for n, entry in enumerate(entries, 1):
        mid = entry.get("id") or f"#{n}"
        try:
            missing = [k for k in ("id", "file", "find", "replace", "area", "kind") if k not in entry]
            if missing:
                raise CatalogueError(f"missing {', '.join(missing)}")
            unknown = set(entry) - {f for f in Mutant.__dataclass_fields__}
            if unknown:
                raise CatalogueError(f"unknown keys {sorted(unknown)}")
            m = Mutant(**{**defaults, **entry})
            if m.id in seen:
                raise CatalogueError("duplicate id")
            seen.add(m.id)
            if m.area not in AREAS:
                raise CatalogueError(f"area '{m.area}' not one of {sorted(AREAS)}")
            if m.kind not in KINDS:
                raise CatalogueError(f"kind '{m.kind}' not one of {sorted(KINDS)}")
            if m.find == m.replace:
                raise CatalogueError("find and replace are the same")
            file = ROOT / m.file
            if not file.is_file():
                raise CatalogueError(f"file {m.file} does not exist")
            count = file.read_text().count(m.find)
            if count != 1:
                raise CatalogueError(f"find string occurs {count} times in {m.file} (must be exactly once): "
                                     f"{m.find!r}")
            for spec in m.pytest:
                if not (ROOT / spec.split("::")[0].split()[0]).is_file():
                    raise CatalogueError(f"pytest file {spec.split()[0]} does not exist")
            mutants.append(m)
        except (CatalogueError, TypeError) as exc:
            problems.append(f"mutant {mid}: {exc}")
    if problems:
        raise CatalogueError("invalid mutant catalogue " + str(path.relative_to(ROOT)) + ":\n  "
                             + "\n  ".join(problems))
    return mutants


# ------------------------------------------------------------ scratch project
def project_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [f for f in out.split("\0") if f and (ROOT / f).is_file()]


def files_hash(files: list[str]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        if f.startswith(DATA_PATHS) and f.endswith(DATA_SUFFIXES):
            h.update(f.encode() + b"\0" + (ROOT / f).read_bytes())
    return h.hexdigest()[:16]


def sync_project(files: list[str]) -> None:
    """build/mutation/project: the work tree's files (changed ones copied), its venv, packages and profile."""
    WORK.mkdir(parents=True, exist_ok=True)
    for f in files:
        src, dst = ROOT / f, WORK / f
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    for name in (".venv", "dbt_packages"):
        link = WORK / name
        if not link.exists():
            link.symlink_to((ROOT / name).resolve())
    profile = ROOT / "profiles.yml"
    shutil.copy2(profile if profile.exists() else ROOT / "profiles.yml.example", WORK / "profiles.yml")
    (WORK / "build").mkdir(exist_ok=True)


def env(db: str) -> dict[str, str]:
    return {**os.environ, "DBT_PROFILES_DIR": str(WORK), "DUCKDB_PATH": db, "DBT_SCHEMA": SCHEMA,
            "DBT_TARGET": "dev", "DBT_TARGET_PATH": "build/target", "DBT_LOG_PATH": "build/logs",
            "DUCKDB_TEMP_DIRECTORY": "build/duckdb_tmp",
            # DuckDB only: the Postgres half of a test skips (port 9: refused at once)
            "PGHOST": "127.0.0.1", "PGPORT": "9", "REQUIRE_POSTGRES": "", "PYTEST_ADDOPTS": ""}


def dbt(args: list[str], db: str, timeout: int) -> tuple[int, str]:
    cmd = [str(WORK / ".venv" / "bin" / "python"), "scripts/dbt_run.py", *args]
    try:
        proc = subprocess.run(cmd, cwd=WORK, env=env(db), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "timeout"
    return proc.returncode, proc.stdout[-6000:] + proc.stderr[-2000:]


def failures_from_run_results() -> list[str]:
    """The failed or errored nodes of the last dbt command: 'unit_test rfm_...' / 'test ...' / 'model ...'."""
    path = WORK / "build" / "target" / "run_results.json"
    if not path.exists():
        return []
    out = []
    for r in json.loads(path.read_text()).get("results", []):
        if r.get("status") in ("fail", "error", "runtime error"):
            kind, _, rest = r["unique_id"].partition(".")
            name = rest.split(".", 1)[1] if "." in rest else rest
            out.append(f"{kind} {name}")
    return out


def base_manifest() -> dict:
    return json.loads((OUT / "base_manifest.json").read_text())


def build_base(phash: str) -> None:
    stamp = OUT / "base.stamp"
    if (WORK / BASE_DB).exists() and stamp.exists() and stamp.read_text() == phash:
        print(f"base warehouse: {WORK / BASE_DB} (up to date)")
        return
    print("base warehouse: building the DuckDB sample warehouse (once; ~4-6 min) ...", flush=True)
    for suffix in ("", ".wal"):
        (WORK / (BASE_DB + suffix)).unlink(missing_ok=True)
    t0 = time.time()
    rc, out = dbt(["build", "--vars", VARS, "--exclude", EXCLUDE], BASE_DB, BASE_TIMEOUT_S)
    if rc != 0:
        sys.exit(f"the unmutated project's build fails; fix it first:\n{failures_from_run_results()}\n{out[-3000:]}")
    shutil.copy2(WORK / "build" / "target" / "manifest.json", OUT / "base_manifest.json")
    stamp.write_text(phash)
    print(f"base warehouse built in {time.time() - t0:.0f} s", flush=True)


def default_selection(mutant: Mutant, manifest: dict) -> str:
    """Every model/snapshot that is the file or uses (directly or through other macros) a macro of it, with +."""
    macros = manifest["macros"]
    in_file = {uid for uid, m in macros.items() if m.get("original_file_path") == mutant.file}
    users: dict[str, set[str]] = {}
    for uid, m in macros.items():
        for dep in m.get("depends_on", {}).get("macros", []):
            users.setdefault(dep, set()).add(uid)
    closure, todo = set(in_file), list(in_file)
    while todo:
        for user in users.get(todo.pop(), ()):
            if user not in closure:
                closure.add(user)
                todo.append(user)
    names = sorted({n["name"] for n in manifest["nodes"].values()
                    if n["resource_type"] in ("model", "snapshot")
                    and (n.get("original_file_path") == mutant.file
                         or closure & set(n.get("depends_on", {}).get("macros", [])))})
    if not names:
        raise CatalogueError(f"mutant {mutant.id}: no model uses {mutant.file}; give it a 'select'")
    return " ".join(f"{n}+" for n in names)


# ------------------------------------------------------------------ one run
def run_checks(selection: str, pytest_specs: list[str], timeout: int) -> dict:
    """dbt build of the selection on a copy of the base warehouse, then the pytest files: the outcome."""
    t0 = time.time()
    for suffix in ("", ".wal"):
        (WORK / (MUTANT_DB + suffix)).unlink(missing_ok=True)
    shutil.copy2(WORK / BASE_DB, WORK / MUTANT_DB)
    (WORK / "build" / "target" / "run_results.json").unlink(missing_ok=True)
    rc, out = dbt(["build", "--full-refresh", "--vars", MUTANT_VARS, "--select", *selection.split(),
                   "--exclude", EXCLUDE], MUTANT_DB, timeout)
    result = {"selection": selection, "pytest": pytest_specs}
    if rc == -1:
        return {**result, "status": "timeout", "by": ["dbt build timed out"], "seconds": round(time.time() - t0)}
    if rc != 0:
        by = failures_from_run_results() or [
            "dbt: " + (re.findall(r"(?:Compilation|Parsing|Database|Runtime) Error.*", out) or [out[-300:]])[0][:200]]
        return {**result, "status": "failed", "stage": "dbt", "by": by, "seconds": round(time.time() - t0)}
    for spec in pytest_specs:
        path, _, k = spec.partition(" -k ")
        cmd = [str(WORK / ".venv" / "bin" / "pytest"), "-q", "-x", "-rfE", "-p", "no:cacheprovider",
               "-p", "no:randomly", "-n", "0", path] + (["-k", k.strip().strip("'\"")] if k else [])
        remaining = max(60, timeout - (time.time() - t0))
        try:
            proc = subprocess.run(cmd, cwd=WORK, env=env(MUTANT_DB), capture_output=True, text=True,
                                  timeout=remaining)
        except subprocess.TimeoutExpired:
            return {**result, "status": "timeout", "by": [f"pytest {spec} timed out"],
                    "seconds": round(time.time() - t0)}
        if proc.returncode == 5:
            return {**result, "status": "error", "by": [f"pytest {spec}: no test collected"],
                    "seconds": round(time.time() - t0)}
        if proc.returncode != 0:
            by = [line.split(" - ")[0].replace("FAILED ", "pytest ").replace("ERROR ", "pytest error ")
                  for line in proc.stdout.splitlines() if line.startswith(("FAILED ", "ERROR "))]
            return {**result, "status": "failed", "stage": "pytest",
                    "by": by or [f"pytest {spec}: rc {proc.returncode}: {proc.stdout[-300:]}"],
                    "seconds": round(time.time() - t0)}
    return {**result, "status": "passed", "by": [], "seconds": round(time.time() - t0)}


def apply(mutant: Mutant) -> Path:
    target = WORK / mutant.file
    text = (ROOT / mutant.file).read_text()
    target.write_text(text.replace(mutant.find, mutant.replace, 1))
    return target


def restore(mutant: Mutant) -> None:
    shutil.copy2(ROOT / mutant.file, WORK / mutant.file)


def load_results() -> dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {"mutants": {}, "guards": {}}


def save_results(results: dict) -> None:
    tmp = RESULTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True))
    tmp.replace(RESULTS)


# -------------------------------------------------------------------- report
def verdict(entry: dict | None) -> str:
    if not entry:
        return "not run"
    return entry["verdict"]


def write_report(mutants: list[Mutant], results: dict) -> str:
    rows = [(m, results["mutants"].get(m.id)) for m in mutants]
    current = [(m, r) for m, r in rows if r]
    killed = sum(1 for _, r in current if r["verdict"] == "killed")
    survived = [(m, r) for m, r in current if r["verdict"] == "survived"]
    other = [(m, r) for m, r in current if r["verdict"] not in ("killed", "survived")]
    scored = killed + len(survived) + sum(1 for _, r in other if r["verdict"] == "timeout")
    score = f"{100 * killed / scored:.1f} %" if scored else "n/a"
    secs = [r["seconds"] for _, r in current if r.get("seconds") is not None]
    lines = [
        "# Mutation testing report", "",
        f"Catalogue: {len(mutants)} mutants; run: {len(current)}; not run yet: {len(mutants) - len(current)}.",
        f"**Score: {killed} killed of {scored} scored = {score}** (timeouts count as not killed; "
        f"invalid mutants, whose unmutated selection already fails, are left out).",
        f"Time per mutant: median {sorted(secs)[len(secs) // 2] if secs else 0} s, "
        f"max {max(secs) if secs else 0} s, total {sum(secs) / 60:.0f} min; plus {len(results['guards'])} guard run(s) "
        f"of unmutated selections, {sum(g.get('seconds', 0) for g in results['guards'].values()) / 60:.0f} min.", "",
        "| area | mutants | run | killed | survived |", "| --- | --- | --- | --- | --- |"]
    for area in sorted({m.area for m in mutants}):
        ms = [(m, r) for m, r in rows if m.area == area]
        lines.append(f"| {area} | {len(ms)} | {sum(1 for _, r in ms if r)} | "
                     f"{sum(1 for _, r in ms if r and r['verdict'] == 'killed')} | "
                     f"{sum(1 for _, r in ms if r and r['verdict'] == 'survived')} |")
    lines += ["", "## Survivors", ""]
    lines += [f"- `{m.id}` ({m.area}, {m.kind}, {m.file}): {m.description}" for m, _ in survived] or ["none"]
    if other:
        lines += ["", "## Timeouts, errors, invalid", ""]
        lines += [f"- `{m.id}`: {r['verdict']}: {'; '.join(r.get('by', []))[:300]}" for m, r in other]
    lines += ["", "## Every mutant", "", "| id | area | kind | verdict | s | killed by |",
              "| --- | --- | --- | --- | --- | --- |"]
    for m, r in rows:
        by = "; ".join(r.get("by", [])[:3]) + (f" (+{len(r['by']) - 3})" if r and len(r.get("by", [])) > 3 else "") \
            if r else ""
        lines.append(f"| `{m.id}` | {m.area} | {m.kind} | {verdict(r)} | {r.get('seconds', '') if r else ''} | "
                     f"{by.replace('|', '/')} |")
    text = "\n".join(lines) + "\n"
    REPORT.write_text(text)
    return text


def spread(mutants: list[Mutant]) -> list[Mutant]:
    """Round robin over the areas, so a run stopped early has covered every area (the cache keeps the rest)."""
    by_area: dict[str, list[Mutant]] = {}
    for m in mutants:
        by_area.setdefault(m.area, []).append(m)
    out = []
    while any(by_area.values()):
        for queue in by_area.values():
            if queue:
                out.append(queue.pop(0))
    return out


def score_line(mutants: list[Mutant], results: dict) -> str:
    verdicts = [results["mutants"][m.id]["verdict"] for m in mutants if m.id in results["mutants"]]
    killed = verdicts.count("killed")
    scored = killed + verdicts.count("survived") + verdicts.count("timeout")
    survivors = [m.id for m in mutants if results["mutants"].get(m.id, {}).get("verdict") == "survived"]
    pct = f"{100 * killed / scored:.1f} %" if scored else "n/a"
    return (f"Latest score ({time.strftime('%Y-%m-%d')}): **{killed} of {scored} mutants killed, {pct}**; "
            f"{len(mutants) - len(verdicts)} of the {len(mutants)} not run yet; survivors: "
            f"{', '.join(f'`{s}`' for s in survivors) or 'none'}.")


def write_readme_score(mutants: list[Mutant], results: dict) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = re.sub(r"(<!-- mutation-score -->\n).*?(\n<!-- /mutation-score -->)",
                 lambda mo: mo.group(1) + score_line(mutants, results) + mo.group(2), text, flags=re.S)
    readme.write_text(new)


# ---------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    # a kill (SIGTERM) unwinds like Ctrl-C, so the mutated file of the scratch copy is restored
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", action="append", default=[], help="run this mutant id (repeatable)")
    ap.add_argument("--area", action="append", default=[], help="run the mutants of this area (repeatable)")
    ap.add_argument("--list", action="store_true", help="list the catalogue with cached verdicts")
    ap.add_argument("--rerun", action="store_true", help="ignore cached results of the selected mutants")
    ap.add_argument("--report", action="store_true", help="only write the report from the cache")
    ap.add_argument("--check", action="store_true", help="only validate the catalogue")
    ap.add_argument("--readme", action="store_true", help="also write the score line into README.md")
    args = ap.parse_args(argv)

    try:
        mutants = load_catalogue()
    except CatalogueError as exc:
        print(f"FAIL: {exc}", file=sys.stderr)
        return 2
    unknown = [i for i in args.only if i not in {m.id for m in mutants}]
    if unknown:
        print(f"FAIL: no mutant with id {', '.join(unknown)}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    results = load_results()
    if args.check:
        print(f"catalogue OK: {len(mutants)} mutants")
        return 0
    if args.list:
        for m in mutants:
            r = results["mutants"].get(m.id)
            print(f"{m.id:40} {m.area:13} {m.kind:13} {verdict(r):9} {m.file}")
        print(f"{len(mutants)} mutants")
        return 0
    if args.report:
        print(write_report(mutants, results))
        if args.readme:
            write_readme_score(mutants, results)
        return 0

    chosen = spread([m for m in mutants
                     if (not args.only or m.id in args.only) and (not args.area or m.area in args.area)])
    files = project_files()
    data_hash = files_hash(files)
    sync_project(files)
    build_base(data_hash)
    manifest = base_manifest()
    t_start = time.time()
    reguarded: set[str] = set()  # --rerun: each guard of the chosen mutants runs again once (tests may have changed)
    for n, m in enumerate(chosen, 1):
        key = m.key()
        cached = results["mutants"].get(m.id)
        if cached and cached.get("key") == key and not args.rerun and cached["verdict"] != "error":
            print(f"[{n}/{len(chosen)}] {m.id}: {cached['verdict']} (cached)", flush=True)
            continue
        selection = m.select or default_selection(m, manifest)
        # guard: the unmutated project passes the same checks (cached per selection + pytest files)
        gkey = hashlib.sha256(json.dumps([selection, m.pytest, data_hash]).encode()).hexdigest()[:16]
        guard = results["guards"].get(gkey)
        if not guard or (args.rerun and gkey not in reguarded):
            reguarded.add(gkey)
            print(f"[{n}/{len(chosen)}] guard for {m.id}: unmutated `{selection}` + {m.pytest or 'no pytest'} ...",
                  flush=True)
            restore(m)
            guard = run_checks(selection, m.pytest, m.timeout)
            results["guards"][gkey] = guard
            save_results(results)
            print(f"    guard {guard['status']} in {guard['seconds']} s {guard['by'][:3]}", flush=True)
        if guard["status"] != "passed":
            results["mutants"][m.id] = {"key": key, "verdict": "invalid", "seconds": None,
                                        "by": [f"unmutated selection does not pass: {guard['by'][:3]}"]}
            save_results(results)
            print(f"[{n}/{len(chosen)}] {m.id}: INVALID (the unmutated checks fail)", flush=True)
            continue
        print(f"[{n}/{len(chosen)}] {m.id} ({m.area}/{m.kind}) on `{selection}` ...", flush=True)
        apply(m)
        try:
            outcome = run_checks(selection, m.pytest, m.timeout)
        finally:
            restore(m)
        v = {"failed": "killed", "passed": "survived"}.get(outcome["status"], outcome["status"])
        results["mutants"][m.id] = {"key": key, "verdict": v, **outcome}
        save_results(results)
        print(f"    {v.upper()} in {outcome['seconds']} s {('by ' + '; '.join(outcome['by'][:3])) if outcome['by'] else ''}",
              flush=True)
    print(f"\nran {len(chosen)} mutant(s) in {(time.time() - t_start) / 60:.1f} min\n")
    print(write_report(mutants, results))
    if args.readme:
        write_readme_score(mutants, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
