"""Defects: records broken on purpose, each against exactly one DDA rule, and their ground truth.

``Defects(world)`` breaks rows of a World in place (or appends the broken copy) and
lists every broken record in ``found`` as (table, record_id, rule_id); ``DUPLICATE``
marks an exact duplicate row that the warehouse must collapse, not reject. Clean
records break no rule, so the rows the warehouse rejects per rule equal ``found``.

Delivery 1 breaks a share of every table (``inject_first_delivery``); a later
delivery breaks its new and changed rows only (``inject_changed_rows``).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from .contract import (DEFAULT_DEFECT_SHARE, DEFECT_SHARE, EXACT_DUPLICATE_SHARE, FUTURE_RULES, TABLES, fmt_date,
                       fmt_ts, money, parse_iso, record_id)


class Defects:
    def __init__(self, world):
        self.world = world
        self.found: list[tuple[str, str, str]] = []

    def plans(self) -> dict[str, list[tuple[str, object]]]:
        """Per table, each rule with a function that breaks a row against it (or "special")."""
        w = self.world
        r = w.rng
        future = w.as_of + timedelta(days=r.randint(3, 60))
        fut_ts = fmt_ts(future)
        bad_ts = ["2025-13-01T10:00:00Z", "yesterday", "2025-02-30T08:00:00Z", "03/15/2025 10:00"]

        def dup(table, changes):
            def f(row):
                new = dict(row)
                changes(new)
                w.rows[table].append(new)
                return new
            return f

        def later_ts(col):
            def f(row):
                t = parse_iso(row[col])
                row[col] = fmt_ts(max(t, min(t + timedelta(hours=r.randint(1, 48)),
                                             w.as_of - timedelta(seconds=30))))
            return f

        def bump_money(col):
            def f(row):
                row[col] = money(float(row[col] or 0) * 1.1 + 1)
            return f

        def set_(col, value):
            def f(row):
                row[col] = value() if callable(value) else value
            return f

        def chain(*fs):
            def f(row):
                for fn in fs:
                    fn(row)
            return f

        plans: dict[str, list[tuple[str, callable]]] = {
            "crm_customers": [
                ("CUS-01", dup("crm_customers", chain(later_ts("updated_at"), bump_money("lifetime_value")))),
                ("CUS-02", set_("email", lambda: r.choice(["john.doe@", "jane.smith.example.com", "bob @mail.com",
                                                          "mary@@gmail.com", "info@localhost"]))),
                ("CUS-03", set_("registration_date", lambda: fmt_date((w.as_of + timedelta(
                    days=r.randint(2, 200))).date()))),
                ("CUS-04", lambda row: row.update(r.choice([{"last_name": ""}, {"first_name": ""},
                                                            {"registration_date": ""},
                                                            {"email": "", "phone": ""}]))),
                ("CUS-05", lambda row: row.update(r.choice([{"registration_date": "2025-02-30"},
                                                            {"registration_date": "15/03/2025"},
                                                            {"date_of_birth": "1985-13-01"},
                                                            {"date_of_birth": "12-07-1979"}]))),
                ("CUS-06", set_("date_of_birth", lambda: r.choice(["1890-05-17", "1875-01-01", fmt_date(
                    (w.as_of + timedelta(days=400)).date())]))),
            ],
            "interactions": [
                ("INT-01", dup("interactions", set_("agent_id", lambda: "AGT-999"))),
                ("INT-02", set_("customer_id", lambda: f"CRM-{9000000 + r.randint(1, 99999):07d}")),
                ("INT-03", lambda row: row.update({"interaction_at": fut_ts, "recorded_at": fmt_ts(
                    future + timedelta(minutes=30))})),
                ("INT-04", set_("duration_minutes", lambda: r.choice(["0", "-5", "-1"]))),
                ("INT-05", set_("interaction_type", lambda: r.choice(["SMS", "Fax", "Carrier pigeon"]))),
                ("INT-06", set_("outcome", lambda: r.choice(["Unknown", "Escalated"]))),
                ("INT-07", lambda row: row.update({"recorded_at": fmt_ts(parse_iso(row["interaction_at"]) + (
                    timedelta(hours=r.randint(26, 120)) if r.random() < 0.7 else -timedelta(hours=2)))})),
                ("INT-08", lambda row: row.update({"interaction_at": r.choice(bad_ts)})),
            ],
            "campaigns": [
                ("CMP-01", dup("campaigns", bump_money("budget"))),
                ("CMP-02", lambda row: row.update({"end_date": fmt_date(date.fromisoformat(row["start_date"])
                                                                         - timedelta(days=r.randint(0, 10)))})),
                ("CMP-03", set_("budget", lambda: r.choice(["0", "-500.00"]))),
                ("CMP-04", set_("status", lambda: r.choice(["Running", "Archived"]))),
                ("CMP-05", set_("campaign_type", lambda: r.choice(["TV", "Radio", "Print"]))),
                ("CMP-06", set_("start_date", lambda: r.choice(["2025/04/01", "2025-04-31"]))),
            ],
            "campaign_performance": [
                ("PRF-01", "special"),
                ("PRF-02", set_("campaign_id", lambda: f"CMP-{9000 + r.randint(1, 999)}")),
                ("PRF-03", lambda row: row.update(r.choice([{"cost": "-12.50"}, {"revenue": "-3.00"}]))),
                ("PRF-04", "special"),
                ("PRF-05", lambda row: row.update({"clicks": str(int(row["impressions"]) + r.randint(1, 50))})),
                ("PRF-07", set_("impressions", lambda: r.choice(["n/a", "12k", "1,200"]))),
            ],
            "products": [
                ("PRD-01", dup("products", bump_money("unit_price"))),
                ("PRD-02", set_("unit_price", lambda: r.choice(["0", "-9.99", "free"]))),
                ("PRD-03", set_("launched_at", lambda: r.choice(["2024-02-30", "March 2024"]))),
            ],
            "orders": [
                ("ORD-01", dup("orders", later_ts("ordered_at"))),
                ("ORD-02", set_("status", lambda: r.choice(["shipped", "lost"]))),
                ("ORD-03", set_("ordered_at", lambda: r.choice([fut_ts] + bad_ts))),
                ("ORD-04", set_("sales_channel", lambda: r.choice(["phone", "marketplace"]))),
                ("ORD-05", set_("currency", lambda: r.choice(["US$", "euro", "GB"]))),
            ],
            "order_items": [
                ("OIT-01", dup("order_items", lambda row: row.update({"quantity": str(int(row["quantity"]) + 1)}))),
                ("OIT-02", set_("order_id", lambda: f"ORD-{90000000 + r.randint(1, 999999)}")),
                ("OIT-03", set_("quantity", lambda: r.choice(["0", "-1", "1.5"]))),
                ("OIT-04", lambda row: row.update(r.choice([{"unit_price": "-5.00"}, {"discount_amount": money(
                    float(row["unit_price"]) * int(row["quantity"]) + 10)}]))),
                ("OIT-05", set_("product_id", lambda: f"PRD-{9000 + r.randint(1, 999)}")),
            ],
            "payments": [
                ("PAY-01", dup("payments", later_ts("paid_at"))),
                ("PAY-02", set_("order_id", lambda: f"ORD-{90000000 + r.randint(1, 999999)}")),
                ("PAY-03", set_("amount_cents", lambda: r.choice(["0", "-100", "12.5"]))),
                ("PAY-04", set_("payment_method", lambda: r.choice(["crypto", "cheque"]))),
                ("PAY-05", set_("status", lambda: r.choice(["pending_review", "ok"]))),
                ("PAY-06", set_("paid_at", lambda: r.choice([fut_ts] + bad_ts))),
            ],
            "events": [
                ("EVT-01", dup("events", later_ts("event_at"))),
                ("EVT-02", set_("event_at", lambda: r.choice([fut_ts] + bad_ts))),
                ("EVT-03", set_("event_type", lambda: r.choice(["pageview", "click", "scroll"]))),
                ("EVT-04", set_("platform", lambda: r.choice(["smart_tv", "kiosk"]))),
                ("EVT-05", lambda row: row.update({"anonymous_id": "", "web_user_id": "", "customer_id": ""})),
            ],
            "loyalty_members": [
                ("LOY-01", dup("loyalty_members", chain(later_ts("updated_at"), set_("points_balance",
                                                                                     lambda: "100")))),
                ("LOY-02", set_("tier", lambda: r.choice(["Diamond", "Gold+"]))),
                ("LOY-03", set_("points_balance", lambda: r.choice(["-50", "lots"]))),
                ("LOY-04", set_("enrolled_at", lambda: r.choice([fut_ts] + bad_ts))),
            ],
            "ecom_accounts": [
                ("ECM-01", dup("ecom_accounts", later_ts("last_login_at"))),
                ("ECM-02", set_("created_at", lambda: r.choice([fut_ts] + bad_ts))),
            ],
            "consents": [
                ("CON-01", dup("consents", later_ts("captured_at"))),
                ("CON-02", set_("source_system", lambda: r.choice(["pos", "partner"]))),
                ("CON-03", set_("scope", lambda: r.choice(["telemarketing", "email"]))),
                ("CON-04", set_("status", lambda: r.choice(["maybe", "pending"]))),
                ("CON-05", set_("captured_at", lambda: r.choice([fut_ts] + bad_ts))),
                ("CON-06", lambda row: row.update({"source_id": row["source_id"][:4] + "9" +
                                                   f"{r.randint(0, 999999):06d}X"})),
            ],
            "support_tickets": [
                ("SUP-01", dup("support_tickets", set_("category", lambda: "duplicate-entry"))),
                ("SUP-02", "special"),
                ("SUP-03", set_("csat_score", lambda: r.choice(["0", "6", "10"]))),
                ("SUP-04", set_("channel", lambda: r.choice(["fax", "twitter"]))),
                ("SUP-05", set_("opened_at", lambda: r.choice(bad_ts))),
                ("SUP-06", set_("customer_id", lambda: f"CRM-{9000000 + r.randint(1, 99999):07d}")),
            ],
            "nps_responses": [
                ("NPS-01", dup("nps_responses", later_ts("responded_at"))),
                ("NPS-02", set_("nps_score", lambda: r.choice(["11", "-1", "7.5", "ten"]))),
                ("NPS-03", set_("responded_at", lambda: r.choice([fut_ts] + bad_ts))),
                ("NPS-04", set_("customer_id", lambda: f"CRM-{9000000 + r.randint(1, 99999):07d}")),
            ],
        }
        return plans


    def inject_first_delivery(self) -> None:
        """Break a controlled share of rows, each against exactly one rule."""
        w = self.world
        r = w.rng
        for table, plan in self.plans().items():
            rows = w.rows[table]
            n_clean = len(rows)
            share = DEFECT_SHARE.get(table, DEFAULT_DEFECT_SHARE)
            per_rule = max(1, int(round(n_clean * share / len(plan))))
            order = list(range(n_clean))
            r.shuffle(order)
            used: set[int] = set()
            pick = iter(order)
            for rule, fn in plan:
                for _ in range(per_rule):
                    idx = self.pick_row(table, rule, rows, pick, used)
                    if idx is None:
                        continue
                    used.add(idx)
                    self.break_row(table, rule, fn, rows[idx])
            if table == "campaigns":
                # performance is generated once the campaigns are final; CMP-02 and CMP-06 break Draft
                # campaigns only (row_fits), which have no performance rows
                w.make_campaign_performance()
        # Exact duplicates (a row delivered twice): collapsed, never rejected.
        for table in TABLES:
            bad = {rid for t, rid, _ in self.found if t == table}
            self.add_exact_duplicates(table, range(len(w.rows[table])), bad)

    def inject_changed_rows(self, changed: dict[str, set[int]], base_counts: dict[str, int],
                            earlier_bad: set[tuple[str, str]]) -> None:
        """Break new and changed rows at the rates of delivery 1 (at least one per table with any).

        New rows are those from ``base_counts[table]`` on; ``changed`` holds the indices of updated
        rows of the earlier delivery, ``earlier_bad`` its broken records (never duplicated again).
        The first broken row of a table with changed rows is a changed one, so a record accepted
        in the earlier delivery and rejected in this one always occurs.
        """
        w = self.world
        r = w.rng

        def candidates(table: str) -> list[int]:
            return sorted(changed[table]) + list(range(base_counts[table], len(w.rows[table])))

        for table, plan in self.plans().items():
            rows = w.rows[table]
            changed_rows = sorted(changed[table])
            order = candidates(table)
            if not order:
                continue
            share = DEFECT_SHARE.get(table, DEFAULT_DEFECT_SHARE)
            total = max(1, int(round(len(order) * share)))
            r.shuffle(order)
            rules = list(plan)
            r.shuffle(rules)
            if changed_rows:
                first = r.choice(changed_rows)
                order.remove(first)
                order.insert(0, first)
                fitting = [k for k, (rule, _) in enumerate(rules) if self.row_fits(table, rule, rows[first])]
                if fitting:
                    rules.insert(0, rules.pop(fitting[0]))
            used: set[int] = set()
            for k in range(total):
                rule, fn = rules[k % len(rules)]
                idx = next((i for i in order if i not in used and self.row_fits(table, rule, rows[i])), None)
                if idx is None:
                    continue
                used.add(idx)
                self.break_row(table, rule, fn, rows[idx])
        # Exact duplicates among the new and changed rows.
        for table in TABLES:
            bad = {rid for t, rid, _ in self.found if t == table} | {rid for t, rid in earlier_bad if t == table}
            self.add_exact_duplicates(table, candidates(table), bad)

    def break_row(self, table: str, rule: str, fn, row: dict) -> None:
        """Break one row against one rule and record it."""
        if fn == "special":
            rec = self.special_defect(table, rule, row)
        else:
            out = fn(row)
            rec = record_id(table, out if isinstance(out, dict) else row)
        self.found.append((table, rec, rule))

    def add_exact_duplicates(self, table: str, candidates: Iterable[int], bad: set[str]) -> None:
        """Deliver a share of the candidate rows twice (tables of more than 200 candidates only)."""
        w = self.world
        rows = w.rows[table]
        candidates = list(candidates)
        n_dup = int(len(candidates) * EXACT_DUPLICATE_SHARE) if len(candidates) > 200 else 0
        candidates = [i for i in candidates if record_id(table, rows[i]) not in bad]
        for idx in w.rng.sample(candidates, min(n_dup, len(candidates))):
            rows.append(dict(rows[idx]))
            self.found.append((table, record_id(table, rows[idx]), "DUPLICATE"))

    def pick_row(self, table, rule, rows, pick, used):
        for idx in pick:
            if idx in used:
                continue
            if self.row_fits(table, rule, rows[idx]):
                return idx
        return None

    def row_fits(self, table: str, rule: str, row: dict) -> bool:
        """Whether breaking this row against this rule breaks that rule only."""
        w = self.world
        if table == "campaigns":
            status = w.campaign_by_id[row["campaign_id"]]["status"]
            if rule == "CMP-02" and status != "Draft":
                return False
            if status == "Active" and rule in ("CMP-04",):
                return False
            if row["campaign_id"] == w.stale_campaign:
                return False
            if rule in ("CMP-06",) and status != "Draft":
                return False  # an unreadable start date would make PRF-04 unjudgeable for its rows
        if rule in ("CUS-05",) and not row["date_of_birth"]:
            return False
        if rule == "CUS-04" and not (row["email"] and row["phone"]):
            return False
        if rule == "SUP-02" and not row["resolved_at"]:
            return False
        if rule in ("OIT-03", "OIT-04") and row["discount_amount"] != "0.00":
            return False
        if rule == "INT-07" and not row["interaction_at"].endswith("Z"):
            return False
        return True

    def special_defect(self, table: str, rule: str, row: dict) -> str:
        w = self.world
        r = w.rng
        if rule == "PRF-01":  # a second row for the same campaign and day, under a new id
            new = dict(row)
            new["performance_id"] = w.next_id("PRF-", 8)
            new["impressions"] = str(int(row["impressions"]) + 1)
            w.rows[table].append(new)
            return new["performance_id"]
        if rule == "PRF-04":  # a day after the campaign ended
            c = next(c for c in w.campaigns if c["campaign_id"] == row["campaign_id"])
            w.counters["prf04"] = w.counters.get("prf04", 0) + 1
            row["metric_date"] = fmt_date(c["end"] + timedelta(days=100 + w.counters["prf04"]))
            return row["performance_id"]
        if rule == "SUP-02":  # resolved before it was opened
            row["resolved_at"] = fmt_ts(parse_iso(row["opened_at"]) - timedelta(hours=r.randint(1, 72)))
            return row["ticket_id"]
        raise ValueError(rule)


def still_breaks(rule: str, rows: list[dict], as_of: datetime) -> bool:
    """Whether a record broken against ``rule`` still breaks it at a later ``as_of``.

    A time "in the future" may have become the past; any other defect stays.
    """
    if rule not in FUTURE_RULES:
        return True
    column, kind = FUTURE_RULES[rule]
    for row in rows:
        try:
            if kind == "date":
                if date.fromisoformat(row[column]) <= as_of.date():
                    return False
            elif parse_iso(row[column]) <= as_of:
                return False
        except ValueError:
            pass  # unreadable: still broken
    return True
