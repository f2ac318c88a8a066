"""Writing a delivery: one CSV per table, the delivery manifest, the ground-truth files.

Into the delivery directory (what a source system sends):
* ``<table>.csv``     the 14 tables of the raw source contract, header row, all values text
* ``_manifest.csv``   the control file of raw_sources.md: file, rows (records, header
                      excluded), sha256 (of the file's bytes), one line per table file

Into the truth directory (what only the tests may read):
* ``person_map.csv``       every source record (crm, loyalty, ecom, anonymous device) -> its person
* ``injected_defects.csv`` every record broken on purpose: source_table, record_id, rule_id
* ``experiments.csv``      the planted experiment truths (experiments.py): per experiment its kind, planted
                           split and lift, expected decision, and the generator's own users and conversions
* ``past_retention.csv``   every record dated before the retention window (past.py): source_table,
                           record_id, dated_at (its time as delivered; an order line's is its order's)
* ``households.csv``       every person's true household (people at one address, world.add_person): person_id,
                           household_id
* ``latest_consents.csv``  per person and consent scope, the latest consent captured on any of the person's
                           source records among the consents that break no rule (on a tie opted_out, then the
                           smaller consent id): person_id, scope, status, captured_at, consent_id
* ``manifest.json``        parameters and row counts
* ``changes.csv``          later deliveries only: every record new or updated since delivery 1
"""
from __future__ import annotations

import collections
import csv
import hashlib
import json
import os
import random
from collections.abc import Callable, Iterable

from . import Delivery
from .contract import TABLES, fmt_ts, parse_iso
from .experiments import TRUTH_COLUMNS

MANIFEST_FILE = "_manifest.csv"
MANIFEST_COLUMNS = ["file", "rows", "sha256"]


def row_order(delivery: Delivery, table: str) -> list[int]:
    """The order rows are written in: shuffled deterministically, so duplicates and defects are not
    clustered at the end; in a later delivery the rows of delivery 1 in their places, new rows after them."""
    seed, n_rows = delivery.world.seed, len(delivery.world.rows[table])
    base = delivery.base_counts[table] if delivery.base_counts is not None else n_rows
    appended = delivery.world.appended_from.get(table, base)
    order = list(range(appended))
    random.Random(f"{seed}-{table}").shuffle(order)
    if appended < base:
        order = insert_at_random(order, list(range(appended, base)), random.Random(f"{seed}-{table}-appended"))
    if delivery.base_counts is not None:
        added = list(range(base, n_rows))
        random.Random(f"{seed}-{table}-delivery-2").shuffle(added)
        order += added
    return order


def insert_at_random(order: list[int], added: list[int], rng: random.Random) -> list[int]:
    """``added`` (rows appended after delivery 1's defects, e.g. form submits) at random places in ``order``,
    whose rows keep their relative order: the file differs from the one without them by inserted lines only."""
    rng.shuffle(added)
    places = sorted(rng.randint(0, len(order)) for _ in added)
    out: list[int] = []
    prev = 0
    for place, row in zip(places, added):
        out += order[prev:place]
        out.append(row)
        prev = place
    return out + order[prev:]


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_csv(path: str, header: list[str], rows: Iterable[Iterable[str]], encoding: str | None = None) -> None:
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_tables(delivery: Delivery, out: str, log: Callable[[str], None]) -> dict[str, int]:
    """The table files and their manifest; returns rows per table."""
    os.makedirs(out, exist_ok=True)
    counts: dict[str, int] = {}
    entries = []
    for table, cols in TABLES.items():
        rows = delivery.world.rows[table]
        path = os.path.join(out, f"{table}.csv")
        write_csv(path, cols, ([rows[i][c] for c in cols] for i in row_order(delivery, table)), encoding="utf-8")
        counts[table] = len(rows)
        entries.append([f"{table}.csv", str(len(rows)), sha256_file(path)])
        log(f"  wrote {table:<22} {len(rows):>10,} rows")
    write_csv(os.path.join(out, MANIFEST_FILE), MANIFEST_COLUMNS, entries, encoding="utf-8")
    return counts


def latest_consents(delivery: Delivery) -> list[list[str]]:
    """Per person and scope the latest clean consent (see the module docstring), as the DDA asks: the current one."""
    person_of = {(system, sid): pid for system, sid, pid in delivery.world.person_map}
    broken = {rid for table, rid, rule in delivery.defects if table == "consents" and rule != "DUPLICATE"}
    latest: dict[tuple[str, str], tuple] = {}
    for row in delivery.world.rows["consents"]:
        pid = person_of.get((row["source_system"], row["source_id"]))
        if pid is None or row["consent_id"] in broken:
            continue
        # the order the DDA's "latest" gives: newest first, opted_out before opted_in on a tie, then the id
        rank = (-parse_iso(row["captured_at"]).timestamp(), row["status"] != "opted_out", row["consent_id"])
        key = (pid, row["scope"])
        if key not in latest or rank < latest[key][0]:
            latest[key] = (rank, row)
    return [[pid, scope, row["status"], fmt_ts(parse_iso(row["captured_at"])), row["consent_id"]]
            for (pid, scope), (_, row) in sorted(latest.items())]


def write_truth(delivery: Delivery, truth: str, counts: dict[str, int]) -> dict:
    """The ground-truth files; returns manifest.json's content."""
    world = delivery.world
    os.makedirs(truth, exist_ok=True)
    write_csv(os.path.join(truth, "person_map.csv"), ["source_system", "source_id", "person_id"],
              sorted(world.person_map))
    write_csv(os.path.join(truth, "injected_defects.csv"), ["source_table", "record_id", "rule_id"],
              sorted(delivery.defects))
    write_csv(os.path.join(truth, "experiments.csv"), TRUTH_COLUMNS, world.experiment_truth())
    write_csv(os.path.join(truth, "households.csv"), ["person_id", "household_id"],
              sorted((p["pid"], p["household"]) for p in world.people))
    write_csv(os.path.join(truth, "latest_consents.csv"),
              ["person_id", "scope", "status", "captured_at", "consent_id"], latest_consents(delivery))
    write_csv(os.path.join(truth, "past_retention.csv"), ["source_table", "record_id", "dated_at"],
              world.past_retention)
    manifest = {"people": world.n, "seed": world.seed, "as_of": fmt_ts(world.as_of), "rows": counts,
                "stale_campaign": world.stale_campaign,
                "past_retention": dict(collections.Counter(t for t, _, _ in world.past_retention))}
    if delivery.number == 2:
        manifest.update({"delivery": 2, "previous_as_of": fmt_ts(delivery.previous_as_of),
                         "new_people": delivery.new_people,
                         "changes": dict(collections.Counter(f"{t}:{c}" for t, _, c in delivery.changes)),
                         "healed_defects": len(delivery.healed)})
        write_csv(os.path.join(truth, "changes.csv"), ["source_table", "record_id", "change"],
                  sorted(delivery.changes))
    with open(os.path.join(truth, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2, sort_keys=True)
        fh.write("\n")
    return manifest


def write(delivery: Delivery, out: str, truth: str, log: Callable[[str], None] = lambda _msg: None) -> dict:
    """The delivery into ``out``, its ground truth into ``truth``; returns manifest.json's content."""
    return write_truth(delivery, truth, write_tables(delivery, out, log))
