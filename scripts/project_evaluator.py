#!/usr/bin/env python3
"""Run dbt-project-evaluator on this project, from the local package mirror.

    python scripts/project_evaluator.py [--packages DIR] [--keep-going]

dbt-project-evaluator checks the project's structure (DAG, tests, docs, naming,
governance). It is never a dependency of the project: this script builds a
package folder of its own under build/evaluator/ (dbt_utils, dbt_expectations
and dbt_date from ``../shared/dbt_packages/project``, the evaluator from
``../shared/dbt_packages/tools``, and an empty Elementary, whose models would
only add noise), points ``DBT_PACKAGES_INSTALL_PATH`` at it and builds the
evaluator's models and tests in a DuckDB file of its own (build/project_evaluator.duckdb).

Every rule must be clean or excepted in seeds/evaluator/dbt_project_evaluator_exceptions.csv,
each exception with its reason. The evaluator's tests run with severity error,
so a new violation fails this script (exit 1) and prints the offending rows.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "dbt_packages"
BUILD = ROOT / "build" / "evaluator"
DBT = str(Path(sys.executable).parent / "dbt") if (Path(sys.executable).parent / "dbt").exists() else "dbt"


def package_dir(mirror: Path) -> Path:
    """A package folder holding exactly what the evaluator run needs."""
    needed = {"dbt_utils": mirror / "project" / "dbt_utils",
              "dbt_expectations": mirror / "project" / "dbt_expectations",
              "dbt_date": mirror / "project" / "dbt_date",
              "dbt_project_evaluator": mirror / "tools" / "dbt_project_evaluator"}
    missing = [str(p) for p in needed.values() if not (p / "dbt_project.yml").exists()]
    if missing:
        sys.exit("project_evaluator: the local package mirror is incomplete, missing: " + ", ".join(missing)
                 + " (see ../shared/dbt_packages/README.md, or pass --packages)")
    packages = BUILD / "packages"
    if packages.exists():
        shutil.rmtree(packages)
    packages.mkdir(parents=True)
    for name, path in needed.items():
        (packages / name).symlink_to(path.resolve(), target_is_directory=True)
    placeholder = packages / "elementary"
    placeholder.mkdir()
    (placeholder / "dbt_project.yml").write_text(
        "# left empty for the evaluator run: Elementary's own models are not the project's\n"
        "name: elementary\nversion: \"0.0.0\"\nconfig-version: 2\n")
    return packages


def violations(db: Path, schema: str) -> list[tuple[str, int]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? and table_name like 'fct_%'",
            [schema]).fetchall()]
        out = []
        for table in sorted(tables):
            if table in ("fct_documentation_coverage", "fct_test_coverage"):
                continue
            count = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
            out.append((table, count))
        return out
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=Path, default=SHARED, help="the local package mirror (default ../shared/dbt_packages)")
    args = parser.parse_args(argv)
    packages = package_dir(args.packages)
    db = BUILD.parent / "project_evaluator.duckdb"
    for stale in (db, db.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    schema_prefix = "pe"
    env = {**os.environ, "DBT_PACKAGES_INSTALL_PATH": str(packages), "DUCKDB_PATH": str(db),
           "DBT_SCHEMA": schema_prefix, "DBT_PROJECT_EVALUATOR_SEVERITY": "error",
           "DBT_TARGET_PATH": str(BUILD / "target"), "DBT_LOG_PATH": str(BUILD / "logs"),
           "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(ROOT))}
    select = ["--select", "package:dbt_project_evaluator", "dbt_project_evaluator_exceptions"]
    # models first, then the rule tests (in one build a failing rule would skip the summaries)
    rc = 0
    for verb in (["seed"], ["run"], ["test"]):
        cmd = [DBT, *verb, "--target", "dev", *select]
        print("project_evaluator: dbt", " ".join(cmd[1:]), flush=True)
        code = subprocess.call(cmd, cwd=ROOT, env=env)
        if code and verb != ["test"]:
            return code
        rc = rc or code
    found = violations(db, schema_prefix)
    total = sum(n for _, n in found)
    print(f"\ndbt-project-evaluator: {sum(1 for _, n in found if n)} rules with violations, {total} violations "
          f"(after exceptions in seeds/evaluator/dbt_project_evaluator_exceptions.csv)")
    for table, n in found:
        if n:
            print(f"  {table}: {n}")
    return 1 if rc or total else 0


if __name__ == "__main__":
    sys.exit(main())
