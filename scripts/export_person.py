#!/usr/bin/env python3
"""Access request (GDPR art. 15): write everything the warehouse holds about one person as JSON.

    python scripts/export_person.py --person CRM-0000123 [--out person.json] [--target dev|pg] [--vars '{...}']

Runs ``dbt run-operation export_person`` (macros/privacy/erasure.sql), which resolves the person (customer360_id,
source id or source_system:source_id) through slv_customer_id_map and prints, per base table of the project's
schemas, the rows holding one of their identifiers. The export is **unmasked** on every target: it is the
person's own data, answered to them. Keep the file as you would any PII. Without --out it goes to stdout.
Exit 1 (with dbt's message, e.g. an unknown or ambiguous id) when the operation fails.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "BEGIN PERSON EXPORT", "END PERSON EXPORT"


def export(person: str, target: str | None = None, dbt_vars: str | None = None) -> dict:
    """The export document of one person; raises RuntimeError with dbt's output when the operation fails."""
    args = [sys.executable, str(ROOT / "scripts" / "dbt_run.py"), "--quiet", "run-operation", "export_person",
            "--args", json.dumps({"person": person})]
    if target:
        args += ["--target", target]
    if dbt_vars:
        args += ["--vars", dbt_vars]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    out = proc.stdout
    if proc.returncode != 0 or BEGIN not in out or END not in out:
        raise RuntimeError((out + proc.stderr).strip() or f"dbt run-operation export_person exited {proc.returncode}")
    body = out.split(BEGIN, 1)[1].split(END, 1)[0]
    return json.loads(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--person", required=True, help="customer360_id, source id or source_system:source_id")
    parser.add_argument("--out", help="file to write (default: stdout)")
    parser.add_argument("--target", help="dbt target (default: the profile's)")
    parser.add_argument("--vars", dest="dbt_vars", help="dbt --vars, e.g. '{load_sample_data: false}'")
    args = parser.parse_args(argv)
    try:
        document = export(args.person, args.target, args.dbt_vars)
    except RuntimeError as exc:
        print(f"export_person: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"export_person: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
            return 1
        rows = sum(len(r) for r in document["relations"].values())
        print(f"export_person: {rows} rows from {len(document['relations'])} tables written to {args.out} (unmasked)",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
