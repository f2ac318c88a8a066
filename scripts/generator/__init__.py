"""Deterministic generator of raw deliveries in the raw source contract.

    world.py / activity.py  the simulated world: people, their source records, their activity
    experiments.py          planted experiment truths and form submissions (own RNG streams)
    past.py                 records older than the retention window (GEN-03; own RNG stream)
    platform.py             what the ad platforms report (own RNG stream)
    defects.py              records broken on purpose against one rule each, and that truth
    later.py                later deliveries: the same world some days later (delivery 2)
    writing.py              the CSV files, the delivery manifest and the ground-truth files
    contract.py             tables, keys, rates and value formats; vocabulary.py what the world draws from

``generate(people, seed, as_of, delivery)`` builds a delivery in memory; ``writing.write``
puts it on disk. scripts/generate_raw.py is the command line.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .contract import DEFAULT_AS_OF, DELIVERY2_DAYS, KEYS, TABLES, fmt_ts, parse_iso
from .defects import Defects
from .later import LaterDelivery
from .world import World

__all__ = ["DEFAULT_AS_OF", "DELIVERY2_DAYS", "KEYS", "TABLES", "Delivery", "fmt_ts", "generate", "parse_iso"]


@dataclass
class Delivery:
    """A generated delivery: the world's rows and the ground truth about them."""

    world: World
    number: int
    defects: list[tuple[str, str, str]]
    # later deliveries only: rows per table of delivery 1, what changed since, defects no longer defects
    base_counts: dict[str, int] | None = None
    previous_as_of: datetime | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    healed: list[tuple[str, str, str]] = field(default_factory=list)
    new_people: int = 0


def run_steps(steps: list[tuple[str, Callable[[], None]]], log: Callable[[str], None], width: int) -> None:
    for name, fn in steps:
        t = time.time()
        fn()
        log(f"  generated {name:<{width}} {time.time() - t:6.1f}s")


def first_delivery_form_submits(world: World, defects: Defects) -> None:
    """form_submit events after delivery 1's defects, appended (experiments.py; never a defect row's)."""
    world.appended_from["events"] = len(world.rows["events"])
    world.add_form_submits(0, "1", {rid for table, rid, _ in defects.found if table == "events"})


def generate(people: int, seed: int, as_of: datetime, delivery: int = 1, days: int = DELIVERY2_DAYS,
             log: Callable[[str], None] = lambda _msg: None) -> Delivery:
    """Delivery 1 as of ``as_of``, or (delivery 2) the cumulative extract of the same world ``days`` later."""
    world = World(people, seed, as_of)
    defects = Defects(world)
    run_steps(world.simulate() + [("defects", defects.inject_first_delivery),
                                  ("form submits", lambda: first_delivery_form_submits(world, defects)),
                                  ("records past retention", world.add_records_past_retention)], log, 32)
    if delivery == 1:
        return Delivery(world, 1, defects.found)
    log(f"delivery 2: {days} days later, as_of {fmt_ts(as_of + timedelta(days=days))}")
    later = LaterDelivery(world, defects)
    run_steps(later.steps(days), log, 38)
    later.truth()
    return Delivery(world, 2, later.defects.found, base_counts=later.base_counts, previous_as_of=later.since,
                    changes=later.changes, healed=later.healed, new_people=len(later.new_people))
