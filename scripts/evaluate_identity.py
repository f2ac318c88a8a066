#!/usr/bin/env python3
"""Score identity resolution against the generator's ground truth.

Compares the clusters of `slv_customer_id_map` (source_system, source_id ->
customer360_id) with `person_map.csv` (source_system, source_id -> person_id)
and reports pairwise precision, recall and F1, the largest cluster, the people
split over several clusters and the clusters that merged several people.

Scored separately for the known systems (crm, loyalty, ecom) and for every
identifier including anonymous devices (a device that never logged in cannot
be linked to its owner, so "all" recall is bounded by the data).

The warehouse is a dbt target of profiles.yml, read by scripts/connections.py as dbt
reads it (--target, else $DBT_TARGET, else the profile's target); the schema defaults
to that target's silver schema. --duckdb FILE reads a DuckDB file instead (then
--schema is needed); --postgres is short for --target pg.

Usage: evaluate_identity.py --truth DIR [--target T | --duckdb FILE | --postgres] [--profiles-dir DIR]
                            [--schema PREFIX_silver] [--json]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import connections  # noqa: E402

KNOWN = ("crm", "loyalty", "ecom")


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(predicted: dict[tuple[str, str], str], truth: dict[tuple[str, str], str],
          systems: tuple[str, ...] | None = None) -> dict:
    """Pairwise scores over the identifiers present in both mappings."""
    keys = [k for k in predicted if k in truth and (systems is None or k[0] in systems)]
    by_cluster: dict[str, Counter] = defaultdict(Counter)
    for k in keys:
        by_cluster[predicted[k]][truth[k]] += 1
    true_pos = sum(pairs(n) for c in by_cluster.values() for n in c.values())
    predicted_pairs = sum(pairs(sum(c.values())) for c in by_cluster.values())
    person_sizes = Counter(truth[k] for k in keys)
    true_pairs = sum(pairs(n) for n in person_sizes.values())
    precision = true_pos / predicted_pairs if predicted_pairs else 1.0
    recall = true_pos / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    clusters_per_person: dict[str, set] = defaultdict(set)
    for k in keys:
        clusters_per_person[truth[k]].add(predicted[k])
    return {
        "identifiers": len(keys),
        "clusters": len(by_cluster),
        "people": len(person_sizes),
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "largest_cluster": max((sum(c.values()) for c in by_cluster.values()), default=0),
        "split_people": sum(1 for s in clusters_per_person.values() if len(s) > 1),
        "overmerged_clusters": sum(1 for c in by_cluster.values() if len(c) > 1),
        "people_in_overmerged_clusters": sum(len(c) for c in by_cluster.values() if len(c) > 1),
    }


def load_truth(truth_dir: Path) -> dict[tuple[str, str], str]:
    with open(truth_dir / "person_map.csv", newline="") as fh:
        return {(r["source_system"], r["source_id"]): r["person_id"] for r in csv.DictReader(fh)}


def load_predicted(rows) -> dict[tuple[str, str], str]:
    return {(s, i): c for s, i, c in rows}


def fetch_map(target: connections.Target, schema: str) -> list[tuple]:
    """(source_system, source_id, customer360_id) of slv_customer_id_map in ``schema``."""
    sql = f"select source_system, source_id, customer360_id from {schema}.slv_customer_id_map"
    if target.type == "duckdb":
        with target.connect(read_only=True) as conn:
            return conn.execute(sql).fetchall()
    conn = target.connect()
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        conn.close()


def evaluate(rows, truth_dir: Path) -> dict:
    truth, predicted = load_truth(truth_dir), load_predicted(rows)
    return {"known_systems": score(predicted, truth, KNOWN), "all_identifiers": score(predicted, truth)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", required=True, type=Path, help="ground-truth directory (person_map.csv)")
    engine = ap.add_mutually_exclusive_group()
    engine.add_argument("--target", help="dbt target (default: $DBT_TARGET, else the profile's target)")
    engine.add_argument("--duckdb", help="a DuckDB file instead of a target (needs --schema)")
    engine.add_argument("--postgres", action="store_true", help="short for --target pg")
    ap.add_argument("--profiles-dir", help="directory of profiles.yml (default: $DBT_PROFILES_DIR, the current "
                                           "directory, ~/.dbt)")
    ap.add_argument("--schema", help="schema holding slv_customer_id_map (default: the target's silver schema, "
                                     "e.g. dbt_me_silver)")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args(argv)
    if not (args.truth / "person_map.csv").exists():
        ap.error(f"no person_map.csv in {args.truth}")
    if args.duckdb and not args.schema:
        ap.error("--duckdb needs --schema (a file has no target to take the schema prefix from)")
    try:
        if args.duckdb:
            target = connections.duckdb_file(args.duckdb)
        else:
            target = connections.resolve_target("pg" if args.postgres else args.target, args.profiles_dir)
        rows = fetch_map(target, args.schema or target.layer_schema("silver"))
    except connections.ConnectionsError as exc:
        print(f"evaluate_identity.py: {exc}", file=sys.stderr)
        return exc.exit_code
    result = evaluate(rows, args.truth)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for scope, s in result.items():
            print(f"{scope:<16} precision {s['precision']:.2%}  recall {s['recall']:.2%}  F1 {s['f1']:.2%}  "
                  f"identifiers {s['identifiers']:,}  clusters {s['clusters']:,}  people {s['people']:,}  "
                  f"largest {s['largest_cluster']}  split people {s['split_people']}  "
                  f"over-merged clusters {s['overmerged_clusters']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
