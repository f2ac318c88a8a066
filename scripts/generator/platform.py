"""What the ad platforms report: the conversions and revenue of the campaign metrics.

A platform counts the orders its campaign led to, and then some: view-through conversions
(an impression, no click), returned and cancelled orders, the same order claimed by two
platforms. Here the figures follow the simulated world instead of being drawn at random:

* the world's own attribution: every completed order of a person goes to the person's last
  non-direct touch in the 30 days before it (a visit with a utm or an external referrer, an
  e-mail open or click, a push open; the last touch when all are direct), as the warehouse's
  last_non_direct model would with perfect identity resolution. A touch that carries a
  campaign's utm credits that campaign on the day of the touch (platforms report a
  conversion on the day of the ad interaction, not of the order);
* the platform's figures on a metrics row: the campaign's credited orders and revenue times
  its own over-reporting factor (PLATFORM_OVER_REPORTING, drawn once per campaign), rounded at
  random, plus now and then a view-through conversion with no order behind it
  (PLATFORM_VIEW_THROUGH_RATE a day, revenue like an order's), never more conversions than
  clicks (PRF-05). Order values are in the order's currency; the platform reports in the
  reporting currency at its own rough rates (PLATFORM_USD_RATES).

All draws come from a separate RNG stream (``random.Random(f"{seed}-platform-{delivery}")``),
so every other table is the same as without this step. ``World`` keeps a log of touches and
orders while it simulates them (no draws): ``log_touch`` / ``log_order``.
"""
from __future__ import annotations

import bisect
import collections
import math
import random
from datetime import date, datetime, timedelta

from .contract import money

ATTRIBUTION_LOOKBACK = timedelta(days=30)
PLATFORM_OVER_REPORTING = (1.1, 1.45)
PLATFORM_VIEW_THROUGH_RATE = 0.01
PLATFORM_VIEW_THROUGH_VALUE = (30.0, 160.0)
PLATFORM_USD_RATES = {"USD": 1.0, "EUR": 1.13, "GBP": 1.32, "CAD": 0.72}


class PlatformReporting:
    """Mixin of ``world.World``: the log of touches and orders and the platform figures built from it."""

    def log_touch(self, pid: str | None, crm_id: str | None, at: datetime, utm_campaign: str, direct: bool) -> None:
        """A marketing touch of a person (pid), or of the person behind a CRM id (messages)."""
        self.platform_log["touches"].append((pid, crm_id, at, utm_campaign or "", direct))

    def log_order(self, pid: str, at: datetime, row: dict, total: float, currency: str) -> None:
        """An order of a person; its row is read when the figures are made (its status may change)."""
        self.platform_log["orders"].append((pid, at, row, total, currency))

    def campaign_credits(self) -> dict[tuple[str, date], list[float]]:
        """(campaign_id, touch day) -> [orders credited, revenue credited in USD], last non-direct touch."""
        pid_of_crm = {sid: pid for system, sid, pid in self.person_map if system == "crm"}
        cid_of_utm = {c["utm"]: c["campaign_id"] for c in self.campaigns}
        touches: dict[str, list[tuple[datetime, int, str, bool]]] = collections.defaultdict(list)
        for seq, (pid, crm_id, at, utm, direct) in enumerate(self.platform_log["touches"]):
            pid = pid or pid_of_crm.get(crm_id or "")
            if pid:
                touches[pid].append((at, seq, utm, direct))
        for path in touches.values():
            path.sort()
        credits: dict[tuple[str, date], list[float]] = collections.defaultdict(lambda: [0, 0.0])
        for pid, at, row, total, currency in self.platform_log["orders"]:
            if row["status"] != "completed" or pid not in touches:
                continue
            path = touches[pid]
            hi = bisect.bisect_right(path, (at, math.inf))
            lo = bisect.bisect_right(path, (at - ATTRIBUTION_LOOKBACK, math.inf))
            window = path[lo:hi]
            if not window:
                continue
            non_direct = [t for t in window if not t[3]]
            touch = (non_direct or window)[-1]
            cid = cid_of_utm.get(touch[2])
            if cid is None:
                continue
            credit = credits[(cid, touch[0].date())]
            credit[0] += 1
            credit[1] += total * PLATFORM_USD_RATES.get(currency, 1.0)
        return credits

    def report_platform_figures(self, rows: list[dict], stream: str) -> None:
        """Set conversions and revenue of these metrics rows to what the platform reports."""
        if not rows:
            return
        prng = random.Random(f"{self.seed}-platform-{stream}")
        credits = self.campaign_credits()
        factor: dict[str, float] = {}
        for row in rows:
            cid = row["campaign_id"]
            if cid not in factor:
                factor[cid] = prng.uniform(*PLATFORM_OVER_REPORTING)
            orders, revenue = credits.get((cid, date.fromisoformat(row["metric_date"])), (0, 0.0))
            claimed = orders * factor[cid]
            conv = int(claimed) + (prng.random() < claimed - int(claimed))
            value = revenue * factor[cid] * prng.uniform(0.95, 1.05)
            if prng.random() < PLATFORM_VIEW_THROUGH_RATE:
                conv += 1
                value += prng.uniform(*PLATFORM_VIEW_THROUGH_VALUE)
            clicks = int(row["clicks"])
            if conv > clicks:
                value = value * clicks / conv
                conv = clicks
            row["conversions"] = str(conv)
            row["revenue"] = money(value if conv else 0.0)
