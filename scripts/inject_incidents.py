#!/usr/bin/env python3
"""Copy a raw delivery and inject monitoring incidents into the copy (for Elementary's monitors).

    python scripts/inject_incidents.py --src seeds/sample --out /tmp/incident_delivery
    python scripts/inject_incidents.py --src DIR --out DIR --day 2026-06-29 --only platform_drop

The generator (scripts/generate_raw.py) writes clean deliveries; this script never touches its input.
Incidents, each on the last complete day(s) before the delivery's as_of, where the monitors look:

    platform_drop   one day (--day) where one platform's events (--platform, default web) drop by 70 %:
                    7 of every 10 of that platform's events of that day are removed (deterministic)
    money_shift     payments of --day and the day before: amount_cents x 3 (a unit or currency bug)

A column added to a delivered table cannot come through scripts/load_raw.py (it refuses an unknown
column); tests/pytest/test_elementary_incidents.py adds it to the loaded raw table instead, as a loader
that accepted it would.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sys
from pathlib import Path

INCIDENTS = ("platform_drop", "money_shift")


def rewrite(path: Path, change) -> int:
    """Rewrite one CSV through change(header, rows) -> rows; returns the number of rows changed or dropped."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    new_rows, changed = change(header, rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(new_rows)
    return changed


def platform_drop(out: Path, day: str, platform: str) -> str:
    def change(header, rows):
        at, plat = header.index("event_at"), header.index("platform")
        kept, seen, dropped = [], 0, 0
        for row in rows:
            if row[at].startswith(day) and row[plat] == platform:
                seen += 1
                if seen % 10 < 7:  # 7 of every 10
                    dropped += 1
                    continue
            kept.append(row)
        return kept, dropped
    n = rewrite(out / "events.csv", change)
    return f"platform_drop: removed {n} {platform} events of {day} (70 %)"


def money_shift(out: Path, day: str) -> str:
    days = {day, (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()}

    def change(header, rows):
        at, amount = header.index("paid_at"), header.index("amount_cents")
        n = 0
        for row in rows:
            if row[at][:10] in days and row[amount].strip().lstrip("-").isdigit():
                row[amount] = str(int(row[amount]) * 3)
                n += 1
        return rows, n
    n = rewrite(out / "payments.csv", change)
    return f"money_shift: amount_cents x 3 on {n} payments of {', '.join(sorted(days))}"


def refresh_manifest(out: Path) -> str | None:
    """A delivery's control file _manifest.csv (file, rows, sha256) describes what the source sent: the
    incidents are in what it sent, so the copy's manifest lists the changed files as they now are."""
    import hashlib

    manifest = out / "_manifest.csv"
    if not manifest.is_file():
        return None
    with manifest.open(encoding="utf-8-sig", newline="") as fh:
        header, *entries = list(csv.reader(fh))
    name, rows, sha = (header.index(c) for c in ("file", "rows", "sha256"))
    for entry in entries:
        path = out / entry[name]
        if path.is_file():
            with path.open(encoding="utf-8-sig", newline="") as fh:
                entry[rows] = str(sum(1 for _ in csv.reader(fh)) - 1)
            entry[sha] = hashlib.sha256(path.read_bytes()).hexdigest()
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(entries)
    return f"_manifest.csv: rows and sha256 of {len(entries)} files refreshed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, required=True, help="a delivery (e.g. seeds/sample or generate_raw.py --out)")
    parser.add_argument("--out", type=Path, required=True, help="where the copy with incidents goes (replaced)")
    parser.add_argument("--day", default="2026-06-29", help="the incident day (default: the sample's last day)")
    parser.add_argument("--platform", default="web")
    parser.add_argument("--only", nargs="*", choices=INCIDENTS, default=list(INCIDENTS))
    args = parser.parse_args(argv)
    if args.out.resolve() == args.src.resolve():
        print("--out must differ from --src", file=sys.stderr)
        return 2
    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(args.src, args.out, ignore=shutil.ignore_patterns("_truth", "*.yml"))
    if "platform_drop" in args.only:
        print(platform_drop(args.out, args.day, args.platform))
    if "money_shift" in args.only:
        print(money_shift(args.out, args.day))
    note = refresh_manifest(args.out)
    if note:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
