"""Records older than the retention window (GEN-03): a small, deterministic share of the world's
activity dated 5 to 7 years before ``as_of``, that bronze keeps and silver and gold must drop.

A mixin of ``world.World``, run once after delivery 1's defects and form submits, so these records
are clean (they break no row rule: their only "fault" is their age) and the main RNG stream, and
with it every other record, is the same as without them: the step draws from its own stream
(``<seed>-past-retention``). Its rows are appended at random places in the files (writing.row_order).

Dated between ``as_of`` - 7 years (FX rates start in 2019, so orders still convert: ORD-06) and
``as_of`` - 5 years - PAST_MARGIN_DAYS (why so far: see there). Old sessions keep no experiment exposure.
``past_retention`` lists each (table, record id, time).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from .contract import TABLES, fmt_date, record_id

# days between the youngest record past retention and the cutoff of delivery 1: more than DELIVERY2_DAYS (a later
# delivery's cutoff is that much later) and than the six months test_customer360 replays before as_of, so that no
# run at an as_of down to six months earlier sees them inside its window (a customer known then only by them would
# drop out of the snapshot at the next as_of and come back with their later records: a gap in their versions)
PAST_MARGIN_DAYS = 200
# share of people with each kind of old record (at least one record of each kind)
PAST_SHARES = {"orders": 0.015, "sessions": 0.008, "interactions": 0.012, "tickets": 0.005, "nps": 0.004}
# the tables that get records past retention, and the column each is dated by
PAST_TABLES = {"orders": "ordered_at", "order_items": None, "payments": "paid_at", "events": "event_at",
               "interactions": "interaction_at", "support_tickets": "opened_at", "nps_responses": "responded_at",
               "campaigns": "end_date", "campaign_performance": "metric_date"}


class PastRetention:
    def past_window(self) -> tuple[datetime, datetime]:
        years = lambda n: timedelta(days=round(365.25 * n))  # noqa: E731
        return self.as_of - years(7), self.as_of - years(5) - timedelta(days=PAST_MARGIN_DAYS)

    def add_records_past_retention(self) -> None:
        """Old orders (lines, payments, a web order's session), browsing sessions, CRM interactions,
        tickets and NPS responses of existing people, and one old campaign with its daily metrics."""
        main_rng, self.rng = self.rng, random.Random(f"{self.seed}-past-retention")
        before = {t: len(self.rows[t]) for t in PAST_TABLES}
        for table in PAST_TABLES:
            self.appended_from.setdefault(table, before[table])
        try:
            self.make_past_records()
        finally:
            self.rng = main_rng
        # no experiment ran that long ago: a session's experiment_exposure step would be an exposure outside the
        # planted assignments (experiments.py), so the old sessions keep their other events only
        old_events = self.rows["events"][before["events"]:]
        self.rows["events"][before["events"]:] = [e for e in old_events if e["event_type"] != "experiment_exposure"]
        self.past_retention = sorted(
            (table, record_id(table, row), self.past_time(table, row))
            for table in PAST_TABLES for row in self.rows[table][before[table]:])

    def past_time(self, table: str, row: dict) -> str:
        column = PAST_TABLES[table]
        if column is None:  # order lines: the time of their order
            return self.order_time[row["order_id"]]
        return row[column]

    def make_past_records(self) -> None:
        r = self.rng
        lo, hi = self.past_window()
        people = self.people[:self.n]
        pick = lambda pool, share: r.sample(pool, min(len(pool), max(1, round(self.n * share))))  # noqa: E731
        # one campaign that ran and ended in the window, with its daily metrics (no platform figures:
        # there are no touches that old to credit); a Display campaign, so no e-mails are sent for it
        start = self.rand_dt(lo, hi - timedelta(days=40)).date()
        c = self.add_campaign(len(self.campaigns), "Display", start, start + timedelta(days=r.randint(14, 30)),
                              "Completed")
        self.add_performance_days(c, c["start"], c["end"])
        pweights = [p["weight"] for p in self.products]
        self.order_time: dict[str, str] = {}
        for p in pick([p for p in people if self.order_channels(p)], PAST_SHARES["orders"]):
            for _ in range(r.randint(1, 2)):
                self.make_order(p, r.choice(self.order_channels(p)), self.rand_dt(lo, hi), pweights)
                order = self.rows["orders"][-1]
                self.order_time[order["order_id"]] = order["ordered_at"]
        for p in pick([p for p in people if p["devices"]], PAST_SHARES["sessions"]):
            self.make_session(p, self.rand_dt(lo, hi), "web")
        crm = [p for p in people if p["crm_ids"]]
        for p in pick(crm, PAST_SHARES["interactions"]):
            for _ in range(r.randint(1, 2)):
                self.add_interaction(p["crm_ids"][0], self.rand_dt(lo, hi))
        for p in pick(crm, PAST_SHARES["tickets"]):
            self.add_ticket(p["crm_ids"][0], self.rand_dt(lo, hi))
        for p in pick(crm, PAST_SHARES["nps"]):
            self.add_nps_response(p["crm_ids"][0], lo, hi)
        assert fmt_date(c["end"]) < fmt_date(hi.date()) and set(PAST_TABLES) <= set(TABLES)
