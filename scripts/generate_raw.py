#!/usr/bin/env python3
"""Deterministic generator of raw deliveries in the raw source contract.

Writes one CSV per table of ../shared/spec/raw_sources.md (all values text,
empty = missing) and the delivery's control file ``_manifest.csv`` (file, rows,
sha256 of every table file) into --out, plus ground truth used only by tests
into --truth-out:

* ``person_map.csv``       every source record (crm, loyalty, ecom, anonymous
                           device) -> the true person behind it
* ``injected_defects.csv`` every record broken on purpose: table, record_id,
                           rule_id (``DUPLICATE`` = an exact duplicate row that
                           the warehouse must collapse, not reject)
* ``experiments.csv``      the planted experiment truths: per experiment its kind (lift, null, srm), planted
                           treatment share and conversion lift, the decision mart_experiment_results must
                           reach at 100,000 people, and the generator's users and conversions per variant
* ``manifest.json``        parameters and row counts
* ``changes.csv``          delivery 2 only: every record new or updated since
                           delivery 1 (source_table, record_id, change)

The truth defaults to OUT/_truth. It never goes inside the project's seed paths
(seeds/): dbt would load it as seeds. There --truth-out is required (make
sample-data writes the sample's truth to tests/fixtures/sample_truth).

Each injected defect breaks exactly one rule; clean records break none, so the
rows the warehouse rejects per rule must equal what is listed here.

Delivery 2 (``--delivery 2``) is the cumulative extract of the same world 30
days later (as_of + 30 days): delivery 1 is generated exactly as without the
option, then a separate RNG stream adds new people with their records, updates
some customers, loyalty members, web accounts, products, campaign statuses,
pending orders and open tickets, and adds the activity of the new days. Rows of
delivery 1 that did not change are written byte for byte (in their delivery-1
order, new rows after them). Defects are injected into new and changed rows
only, at delivery 1's rates (at least one per table with any); the truth lists
every defect of the delivery-2 files, including those carried over (a delivery-1
time "in the future" that is in the past by the later as_of is no longer one).

Two post-processing steps with their own RNG streams change nothing else in the delivery
(scripts/generator/experiments.py): the exposure events' experiment_id and variant are re-drawn to plant a
real lift, no effect and a sample-ratio mismatch; a share of the form_start events gets a form_submit in
the same session (new rows, new event ids).

The generator itself is the package scripts/generator/ (world, defects, later
deliveries, writing); this file is its command line.

Usage: generate_raw.py [--people N] [--out DIR] [--truth-out DIR] [--seed S]
                       [--as-of ISO_TIMESTAMP] [--delivery 1|2] [--quiet]
Exit codes: 0 written; 2 bad arguments or an output directory that cannot be written.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator import DEFAULT_AS_OF, DELIVERY2_DAYS, KEYS, TABLES, fmt_ts, generate, parse_iso  # noqa: E402
from generator.writing import write  # noqa: E402

__all__ = ["KEYS", "TABLES", "main"]

PROJECT_DIR = Path(__file__).resolve().parent.parent


def seed_paths(project_dir: Path = PROJECT_DIR) -> list[Path]:
    """The seed paths of dbt_project.yml (default seeds/), absolute."""
    paths = ["seeds"]
    try:
        import yaml

        doc = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
        paths = doc.get("seed-paths") or paths
    except (OSError, ImportError, ValueError):
        pass
    return [(project_dir / p).resolve() for p in paths]


def inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def unwritable(directory: str) -> str | None:
    """Why files cannot be written into ``directory`` (created if missing), else None."""
    path = Path(directory).expanduser().absolute()
    if path.exists() and not path.is_dir():
        return f"{directory} is a file, not a directory"
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return f"{directory} cannot be created: {existing} is a file"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{directory} is not writable ({existing} does not allow it)"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="generate_raw.py", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=2000, help="number of people to simulate (default 2000)")
    ap.add_argument("--out", default="seeds/sample", help="directory for the 14 CSV files and _manifest.csv "
                                                          "(default seeds/sample)")
    ap.add_argument("--truth-out", default=None, help="directory for ground truth (default OUT/_truth; required "
                                                      "when that is inside the project's seeds/)")
    ap.add_argument("--seed", type=int, default=42, help="RNG seed (default 42)")
    ap.add_argument("--as-of", default=DEFAULT_AS_OF, help=f"reference time (default {DEFAULT_AS_OF})")
    ap.add_argument("--delivery", type=int, choices=(1, 2), default=1,
                    help=f"1 (default): the delivery as of --as-of; 2: the cumulative extract of the same world "
                         f"{DELIVERY2_DAYS} days later (delivery 1 plus what was added and changed since)")
    ap.add_argument("--quiet", action="store_true", help="no progress output")
    args = ap.parse_args(argv)
    if args.people < 10:
        ap.error("--people must be at least 10")
    try:
        as_of = parse_iso(args.as_of)
    except ValueError:
        ap.error(f"--as-of must be an ISO 8601 timestamp, got {args.as_of!r}")
    truth = args.truth_out or os.path.join(args.out, "_truth")
    seeds = next((s for s in seed_paths() if inside(Path(truth).resolve(), s)), None)
    if seeds is not None:
        ap.error(f"ground truth would be written to {truth}, inside the seed path {seeds} where dbt would load "
                 f"it as seeds; pass --truth-out DIR outside it")
    for option, directory in (("--out", args.out), ("--truth-out", truth)):
        problem = unwritable(directory)
        if problem:
            print(f"generate_raw.py: error: {option}: {problem}", file=sys.stderr)
            return 2

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    t0 = time.time()
    log(f"generating {args.people:,} people (seed {args.seed}, as_of {fmt_ts(as_of)})")
    delivery = generate(args.people, args.seed, as_of, args.delivery, log=log)
    try:
        manifest = write(delivery, args.out, truth, log)
    except OSError as exc:
        print(f"generate_raw.py: error: cannot write the delivery: {exc}", file=sys.stderr)
        return 2
    by_rule: dict[str, int] = {}
    for _, _, rule in delivery.defects:
        by_rule[rule] = by_rule.get(rule, 0) + 1
    if not args.quiet:
        print(f"\nwrote {sum(manifest['rows'].values()):,} rows in {len(TABLES)} files to {args.out} "
              f"in {time.time() - t0:.1f}s; ground truth in {truth}")
        print(f"injected defects: {sum(v for k, v in by_rule.items() if k != 'DUPLICATE')} rows over "
              f"{len(by_rule) - ('DUPLICATE' in by_rule)} rules; {by_rule.get('DUPLICATE', 0)} exact duplicates")
        if args.delivery == 2:
            print(f"delivery 2 as of {manifest['as_of']}: {len(delivery.changes):,} records new or updated since "
                  f"delivery 1 (truth/changes.csv); {len(delivery.healed)} defects of delivery 1 no longer in the "
                  f"future")
    return 0


if __name__ == "__main__":
    sys.exit(main())
