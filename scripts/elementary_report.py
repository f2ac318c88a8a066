#!/usr/bin/env python3
"""Write Elementary's HTML report from a built warehouse, offline (make report).

    python scripts/elementary_report.py [--target dev|pg] [--out target/elementary_report.html]

Runs the `edr` CLI pinned in requirements.lock (elementary-data 0.25.1, the same release as the dbt
package) against the `elementary` profile of profiles.yml (schema <prefix>_elementary). edr runs an
internal dbt project of its own; its packages come from ../shared/dbt_packages/edr/ (env
DBT_PACKAGES_FOLDER, which that project's dbt_project.yml reads) and .edr/config.yml sets
run_dbt_deps_if_needed: false, so no `dbt deps` (no hub) is needed. `--project-dir` is never passed:
edr always runs `dbt deps` on a project given that way.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDR_PACKAGES = Path(os.environ.get("EDR_PACKAGES_FOLDER", ROOT.parent / "shared" / "dbt_packages" / "edr"))


def edr_binary() -> str:
    local = Path(sys.executable).parent / "edr"
    return str(local) if local.exists() else (shutil.which("edr") or "edr")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=os.environ.get("DBT_TARGET", "dev"), help="target of the elementary profile")
    parser.add_argument("--out", type=Path, default=ROOT / "target" / "elementary_report.html")
    parser.add_argument("--days-back", type=int, default=int(os.environ.get("EDR_DAYS_BACK", "7")),
                        help="how far back (wall clock) edr reads test runs")
    args = parser.parse_args(argv)
    if not (EDR_PACKAGES / "elementary" / "dbt_project.yml").exists():
        print(f"FAIL: edr's internal packages are not at {EDR_PACKAGES} (see ../shared/dbt_packages/README.md)",
              file=sys.stderr)
        return 2
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = ROOT / "target" / "edr"
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DBT_PACKAGES_FOLDER": str(EDR_PACKAGES.resolve()),
           "EDR_INTERNAL_TARGET_PATH": str(work / "internal_target"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1",
           # edr runs dbt inside its own project folder: a relative DuckDB path must not move with it
           "DUCKDB_PATH": str(ROOT / os.environ.get("DUCKDB_PATH", "customer_analytics.duckdb"))}
    cmd = [edr_binary(), "report", "--profiles-dir", str(ROOT), "--profile-target", args.target,
           "--config-dir", str(ROOT / ".edr"), "--target-path", str(work), "--file-path", str(out),
           "--days-back", str(args.days_back), "--open-browser", "false", "--project-name", "customer_analytics"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env)
    if proc.returncode != 0 or not out.exists():
        print(f"FAIL: edr report exited {proc.returncode}; no report at {out}", file=sys.stderr)
        return proc.returncode or 1
    print(f"Elementary report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
