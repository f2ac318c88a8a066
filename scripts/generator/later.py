"""Later deliveries: the cumulative extract of the same world some days later.

``LaterDelivery(world, defects).run(days)`` takes a World with delivery 1 generated
(and its Defects) and moves it on: with its own RNG stream (so delivery 1 is the same
with or without a later one) it adds new people with their records, updates some
customers, loyalty members, web accounts, products, campaign statuses, pending orders
and open tickets, and adds the activity of the new days. Rows of delivery 1 that did
not change stay as they are (the writer keeps them in their delivery-1 places, new
rows after them). Defects are injected into new and changed rows only, at delivery 1's
rates; the truth (``defects``) lists every defect of the later files, including those
carried over (a delivery-1 time "in the future" that is in the past by the later as_of
is no longer one: ``healed``), and ``changes`` every record new or updated since.
"""
from __future__ import annotations

import collections
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from .contract import DELIVERY2_DAYS, FUTURE_RULES, TABLES, fmt_ts, money, parse_iso, record_id
from .defects import Defects, still_breaks
from .vocabulary import CAMPAIGN_TYPES, EMAIL_DOMAINS
from .world import CONSENT_SCOPES, World, source_refs


class LaterDelivery:
    def __init__(self, world: World, earlier: Defects):
        w = self.world = world
        self.base_counts = {t: len(rows) for t, rows in w.rows.items()}
        self.d1_versions = {t: self.record_versions(t) for t in TABLES}
        self.d1_defects = list(earlier.found)
        self.d1_bad = {(t, rid) for t, rid, _ in earlier.found}
        self.defects = Defects(world)
        self.changed: dict[str, set[int]] = {t: set() for t in TABLES}
        self.since = w.as_of
        self.changes: list[tuple[str, str, str]] = []
        self.healed: list[tuple[str, str, str]] = []

    def steps(self, days: int = DELIVERY2_DAYS) -> list[tuple[str, Callable[[], None]]]:
        """Move the world ``days`` on; the steps (name, function) that make the later delivery, then truth()."""
        w = self.world
        w.rng = random.Random(f"{w.seed}-delivery-2")
        w.as_of = self.since + timedelta(days=days)
        return [("new people and their records", self.new_people_and_records),
                ("catalogue, campaigns and metrics", self.catalogue_and_campaigns),
                ("customer, loyalty and account changes", self.record_changes),
                ("activity of the new days", self.activity),
                ("order and ticket updates", self.order_and_ticket_updates),
                ("planted experiment assignments", lambda: w.plant_experiments(self.base_counts["events"],
                                                                                "delivery-2")),
                ("defects of new and changed rows", self.inject_defects),
                ("form submits of the new days", self.form_submits)]

    def record_versions(self, table: str) -> dict[str, collections.Counter]:
        """record_id -> the rows delivered for it (as tuples, with their copy counts)."""
        w = self.world
        cols = TABLES[table]
        out: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for row in w.rows[table]:
            out[record_id(table, row)][tuple(row[c] for c in cols)] += 1
        return out

    def is_clean_d1(self, table: str, row: dict) -> bool:
        """A delivery-1 row that broke no rule and has no duplicate: the only kind the world changes."""
        return (table, record_id(table, row)) not in self.d1_bad

    def update_row(self, table: str, idx: int, changes: dict) -> None:
        w = self.world
        w.rows[table][idx].update(changes)
        self.changed[table].add(idx)

    def clean_d1_indices(self, table: str) -> list[int]:
        w = self.world
        rows = w.rows[table]
        return [i for i in range(self.base_counts[table]) if self.is_clean_d1(table, rows[i])]

    def window_ts(self, hours_before_now: int = 1) -> datetime:
        w = self.world
        return w.rand_dt(self.since, w.as_of - timedelta(hours=hours_before_now))

    def new_people_and_records(self) -> None:
        w = self.world
        r = w.rng
        self.new_people = []
        for i in range(len(w.people), len(w.people) + max(1, round(w.n * 0.03))):
            p = w.add_person(i, self.since, w.as_of - timedelta(days=2))
            w.add_person_systems(p)
            w.add_person_consents(p)
            w.add_person_service(p)
            self.new_people.append(p)
        self.returning_visitors = r.sample(w.visitors, min(len(w.visitors), round(len(w.visitors) * 0.05)))
        self.new_visitors = w.add_visitors(max(1, round(len(w.visitors) * 0.03)))

    def catalogue_and_campaigns(self) -> None:
        w = self.world
        r = w.rng
        today = w.as_of.date()
        # products: a few launches and price changes
        for _ in range(max(1, round(len(w.products) * 0.02))):
            w.add_product(self.window_ts().date())
        rows = w.rows["products"]
        by_id = {prod["product_id"]: prod for prod in w.products}
        clean = self.clean_d1_indices("products")
        for idx in sorted(r.sample(clean, min(len(clean), max(1, round(len(clean) * 0.03))))):
            prod = by_id[rows[idx]["product_id"]]
            prod["price"] = round(prod["price"] * r.choice([0.85, 0.9, 1.1, 1.15]), 2)
            self.update_row("products", idx, {"unit_price": money(prod["price"])})
        # campaigns: statuses move on with the calendar; new campaigns start
        rows = w.rows["campaigns"]
        first_row = {}
        for idx in range(self.base_counts["campaigns"]):
            first_row.setdefault(rows[idx]["campaign_id"], idx)
        for c in list(w.campaigns):
            status = c["status"]
            if status == "Draft" and c["start"] <= today:
                status = "Completed" if c["end"] < today else "Active"
            elif status in ("Active", "Paused") and c["end"] < today:
                status = "Completed"
            if status != c["status"]:
                c["status"] = status
                idx = first_row[c["campaign_id"]]
                if self.is_clean_d1("campaigns", rows[idx]):
                    self.update_row("campaigns", idx, {"status": status})
        n_d1 = len(w.campaigns)
        for k in range(max(3, round(n_d1 * (w.as_of - self.since).days / 900))):
            i = n_d1 + k
            ctype = r.choice(list(CAMPAIGN_TYPES))
            if k == 0:  # one starts running during the new days ...
                start = self.since.date() + timedelta(days=r.randint(1, max(1, (w.as_of - self.since).days - 5)))
                end = today + timedelta(days=r.randint(5, 30))
            elif k == 1:  # ... one is planned
                start = today + timedelta(days=r.randint(5, 30))
                end = start + timedelta(days=r.randint(14, 60))
            else:
                start = w.rand_dt(self.since, w.as_of + timedelta(days=20)).date()
                end = start + timedelta(days=r.randint(14, 90))
            w.add_campaign(i, ctype, start, end, w.campaign_status(start, end, may_pause=k > 0))
        # The first Active campaign (delivered without defects) stops reporting three days before "now".
        w.stale_campaign = next(
            c["campaign_id"] for c in w.campaigns if c["status"] == "Active"
            and (c["campaign_id"] not in first_row or self.is_clean_d1("campaigns", rows[first_row[c["campaign_id"]]])))
        # no metrics for campaigns delivered with broken dates: PRF-04 could not judge them (CMP-06) or
        # would reject them all (CMP-02)
        broken_dates = {rid for t, rid, rule in self.d1_defects if rule in ("CMP-02", "CMP-06")}
        w.make_campaign_performance(skip=broken_dates)

    def record_changes(self) -> None:
        """Customers, members and accounts the sources changed (updated_at / last_login_at bumped)."""
        w = self.world
        r = w.rng
        person_of = {}
        for p in w.people:
            for cid in p["crm_ids"]:
                person_of[("crm", cid)] = p
        # ~5 % of CRM customers: a new e-mail, a new phone or another segment
        rows = w.rows["crm_customers"]
        clean = self.clean_d1_indices("crm_customers")
        for idx in sorted(r.sample(clean, round(len(clean) * 0.05))):
            row = rows[idx]
            p = person_of[("crm", row["customer_id"])]
            kind = r.choices(["email", "phone", "segment"], [40, 25, 35])[0]
            changes = {}
            if kind == "email":
                local = p["email"].split("@")[0]
                email = f"{local}@{r.choice([d for d in EMAIL_DOMAINS if not p['email'].endswith('@' + d)])}"
                if email not in w.used_emails:
                    w.used_emails.add(email)
                    changes["email"] = w.vary_email(email)
            elif kind == "phone":
                changes["phone"] = w.format_phone(p, w.national_number(p["country"]), True)
            if not changes:
                changes["customer_segment"] = r.choice([s for s in ["Standard", "Premium", "VIP"]
                                                        if s != row["customer_segment"]])
            changes["updated_at"] = fmt_ts(self.window_ts(), r)
            self.update_row("crm_customers", idx, changes)
        # ~10 % of loyalty members: points earned or spent, sometimes a new tier
        tiers = ["Bronze", "Silver", "Gold", "Platinum"]
        rows = w.rows["loyalty_members"]
        clean = self.clean_d1_indices("loyalty_members")
        for idx in sorted(r.sample(clean, round(len(clean) * 0.10))):
            row = rows[idx]
            changes = {"points_balance": str(max(0, int(row["points_balance"]) + r.randint(-3000, 6000)))}
            if r.random() < 0.35:
                t = tiers.index(row["tier"])
                changes["tier"] = tiers[min(3, t + 1)] if t == 0 or r.random() < 0.75 else tiers[t - 1]
            changes["updated_at"] = fmt_ts(self.window_ts(), r)
            self.update_row("loyalty_members", idx, changes)
        # ~8 % of web accounts logged in again
        rows = w.rows["ecom_accounts"]
        clean = self.clean_d1_indices("ecom_accounts")
        for idx in sorted(r.sample(clean, round(len(clean) * 0.08))):
            self.update_row("ecom_accounts", idx, {"last_login_at": fmt_ts(self.window_ts(), r)})
        # new consent captures of known people
        for p in w.people[:w.n]:
            for system, sid in source_refs(p):
                if r.random() < 0.04:
                    w.rows["consents"].append({
                        "consent_id": w.next_id("CNS-", 8), "source_system": system, "source_id": sid,
                        "scope": r.choice(CONSENT_SCOPES), "status": "opted_in" if r.random() < 0.6 else "opted_out",
                        "captured_at": fmt_ts(self.window_ts(), r)})

    def activity(self) -> None:
        """Orders, sessions, messages and service contacts of the new days."""
        w = self.world
        r = w.rng
        pweights = [prod["weight"] for prod in w.products]
        w.event_rows = w.rows["events"]
        new_ids = {p["pid"] for p in self.new_people}
        window_campaigns = [c for c in w.campaigns if c["type"] == "Email" and c["status"] != "Draft"
                            and c["start"] >= self.since.date()]
        for p in w.people:
            is_new = p["pid"] in new_ids
            rate = 0.5 if is_new else 0.16
            channels = w.order_channels(p)
            for _ in range((r.random() < rate) + (r.random() < rate / 4)):
                w.place_order(p, channels, pweights, since=self.since)
            w.make_browsing(p, sessions=(r.random() < (0.6 if is_new else 0.25)) + (r.random() < 0.08),
                            since=self.since)
            if p["crm_ids"]:
                cid = p["crm_ids"][0]
                for c in window_campaigns:
                    if r.random() < w.email_rate:
                        w.send_campaign_email(p, cid, c, since=self.since)
                if p.get("app") and r.random() < 0.2:
                    w.send_push(p, cid, self.window_ts(2))
            if not is_new:  # new people got theirs with their records
                for cid in p["crm_ids"]:
                    if r.random() < 0.1:
                        w.add_interaction(cid, self.window_ts(2))
                    if r.random() < 0.035:
                        w.add_ticket(cid, self.window_ts(3))
                    if r.random() < 0.015:
                        w.add_nps_response(cid, self.since)
        for v in self.returning_visitors:
            w.make_browsing(v, sessions=1, since=self.since)
        for v in self.new_visitors:
            w.make_browsing(v, sessions=1 + int(r.expovariate(1 / 1.5)), since=self.since)

    def order_and_ticket_updates(self) -> None:
        """Pending orders of delivery 1 completed; some open tickets resolved."""
        w = self.world
        r = w.rng
        rows = w.rows["orders"]
        for idx in self.clean_d1_indices("orders"):
            if rows[idx]["status"] == "pending":
                self.update_row("orders", idx, {"status": "completed"})
        rows = w.rows["support_tickets"]
        for idx in self.clean_d1_indices("support_tickets"):
            row = rows[idx]
            if row["resolved_at"] or r.random() > 0.7:
                continue
            resolved = w.rand_dt(max(parse_iso(row["opened_at"]), self.since), w.as_of - timedelta(hours=1))
            self.update_row("support_tickets", idx, {
                "resolved_at": fmt_ts(resolved, r),
                "csat_score": str(r.randint(1, 5)) if r.random() < 0.6 else ""})

    def inject_defects(self) -> None:
        # the platforms' conversions and revenue of the new metrics rows, now that the new days' orders
        # and touches exist (platform.py)
        w = self.world
        w.report_platform_figures(w.rows["campaign_performance"][self.base_counts["campaign_performance"]:],
                                  stream="delivery-2")
        self.defects.inject_changed_rows(self.changed, self.base_counts, self.d1_bad)

    def form_submits(self) -> None:
        """form_submit events after the new form_start events (experiments.py), never after a defect row."""
        skip = {rid for t, rid in self.d1_bad if t == "events"}
        skip |= {rid for t, rid, _ in self.defects.found if t == "events"}
        self.world.add_form_submits(self.base_counts["events"], "delivery-2", skip)

    def truth(self) -> None:
        """Defects of every row in the delivery, and what changed since delivery 1."""
        w = self.world
        future_tables = {t for t, _, rule in self.d1_defects if rule in FUTURE_RULES}
        rows_by_id = {t: collections.defaultdict(list) for t in future_tables}
        for t in future_tables:
            for row in w.rows[t]:
                rows_by_id[t][record_id(t, row)].append(row)
        carried = [(t, rid, rule) for t, rid, rule in self.d1_defects
                   if rule == "DUPLICATE" or still_breaks(rule, rows_by_id.get(t, {}).get(rid, []), w.as_of)]
        self.healed = sorted(set(self.d1_defects) - set(carried))
        self.defects.found = carried + self.defects.found
        self.changes = []
        for t in TABLES:
            now = self.record_versions(t)
            before = self.d1_versions[t]
            missing = set(before) - set(now)
            assert not missing, f"{t}: records of delivery 1 missing from delivery 2: {sorted(missing)[:5]}"
            for rid, versions in now.items():
                if rid not in before:
                    self.changes.append((t, rid, "new"))
                elif versions != before[rid]:
                    self.changes.append((t, rid, "updated"))
