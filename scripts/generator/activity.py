"""The world's activity: catalogue, campaigns and their daily metrics, orders with lines and
payments, browsing sessions, e-mail and push messages.

A mixin of ``world.World``: it uses the world's state (rng, rows, as_of, people, ...).
Every maker takes an optional ``since`` so that a later delivery adds only the activity of its
new days with the same code.
"""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from .contract import TABLES, UTC, fmt_date, fmt_ts, money
from .vocabulary import ADJECTIVES, AUDIENCES, CAMPAIGN_TYPES, CATEGORIES, PAGES, REFERRERS, SOCIAL_SOURCES


class Activity:
    # ------------------------------------------------------ catalogue & campaigns
    def make_catalogue_and_campaigns(self) -> None:
        r = self.rng
        n_products = max(60, min(400, self.n // 250))
        self.products = []
        for _ in range(n_products):
            self.add_product(None)
        # more campaigns for more people, but not in proportion (a brand runs tens, not thousands)
        n_campaigns = max(40, int(round(40 * math.sqrt(self.n / 2000))))
        # each person gets about as many campaign e-mails whatever the number of campaigns
        self.email_rate = 0.3 * 40 / n_campaigns
        self.campaigns = []
        for i in range(n_campaigns):
            ctype = r.choice(list(CAMPAIGN_TYPES))
            start = self.rand_dt(self.start, self.as_of + timedelta(days=20)).date()
            end = start + timedelta(days=r.randint(14, 90))
            today = self.as_of.date()
            if i < 3:  # always a few campaigns running at "now" ...
                start, end = today - timedelta(days=r.randint(10, 40)), today + timedelta(days=r.randint(5, 30))
            elif i < 6:  # ... and a few drafts planned
                start = today + timedelta(days=r.randint(5, 30))
                end = start + timedelta(days=r.randint(14, 60))
            self.add_campaign(i, ctype, start, end, self.campaign_status(start, end, may_pause=i >= 3))
        # The first Active campaign stops reporting three days before "now":
        # the delivery breaches PRF-06 (updated daily) on purpose.
        self.stale_campaign = next(c["campaign_id"] for c in self.campaigns if c["status"] == "Active")

    def campaign_status(self, start: date, end: date, may_pause: bool) -> str:
        """Draft before its start, Completed after its end, else Active (Paused now and then)."""
        today = self.as_of.date()
        if start > today:
            return "Draft"
        if end < today:
            return "Completed"
        return "Paused" if self.rng.random() < 0.15 and may_pause else "Active"

    def add_product(self, launched: date | None) -> dict:
        """A product; launched None = some day between 400 days before the start and 30 days before now."""
        r = self.rng
        cat = r.choice(list(CATEGORIES))
        pid = self.next_id("PRD-", 4)
        price = round(r.lognormvariate(3.4, 0.8), 2) + 1
        if launched is None:
            launched = self.rand_dt(self.start - timedelta(days=400), self.as_of - timedelta(days=30)).date()
        prod = {"product_id": pid, "category": cat, "price": price, "launched": launched,
                "weight": r.paretovariate(1.2)}
        self.products.append(prod)
        self.rows["products"].append({"product_id": pid,
                                      "product_name": f"{r.choice(ADJECTIVES)} {r.choice(CATEGORIES[cat])}",
                                      "category": cat, "unit_price": money(price),
                                      "launched_at": fmt_date(launched)})
        return prod

    def add_campaign(self, i: int, ctype: str, start: date, end: date, status: str) -> dict:
        r = self.rng
        cid = self.next_id("CMP-", 4)
        season = ["spring", "summer", "autumn", "winter"][(start.month % 12) // 3]
        code = f"{season}_{ctype.lower()}_{start.year}_{i + 1:04d}"
        c = {"campaign_id": cid, "type": ctype, "start": start, "end": end, "status": status, "utm": code,
             "budget": round(r.uniform(2000, 60000), 2)}
        self.campaigns.append(c)
        self.campaign_by_id[cid] = c
        self.rows["campaigns"].append({
            "campaign_id": cid, "campaign_name": f"{season.title()} {ctype} {start.year} #{i + 1}",
            "campaign_type": ctype, "start_date": fmt_date(start), "end_date": fmt_date(end),
            "budget": money(c["budget"]), "target_audience": r.choice(AUDIENCES), "status": status,
            "utm_campaign": code})
        return c

    def make_campaign_performance(self, skip: set[str] | frozenset[str] = frozenset()) -> None:
        """Daily metrics of every running campaign up to yesterday, from the day after the last
        reported one; the stale campaign stops three days earlier. None for Drafts and ``skip``."""
        yesterday = self.as_of.date() - timedelta(days=1)
        reported = len(self.rows["campaign_performance"])
        for c in self.campaigns:
            if c["status"] == "Draft" or c["campaign_id"] in skip:
                continue
            last = min(c["end"], yesterday)
            if c["campaign_id"] == self.stale_campaign:
                last = yesterday - timedelta(days=3)
            first = c["reported_to"] + timedelta(days=1) if c.get("reported_to") else c["start"]
            self.add_performance_days(c, first, last)
        # conversions and revenue as the platforms report them (platform.py, its own RNG stream)
        self.report_platform_figures(self.rows["campaign_performance"][reported:], stream=str(reported))

    def add_performance_days(self, c: dict, first: date, last: date) -> None:
        """One metrics row per day from first to last (none when last < first). Conversions and revenue
        are set afterwards by report_platform_figures; their former draws stay, so the stream is unchanged."""
        r = self.rng
        d = first
        daily = c["budget"] / max(1, (c["end"] - c["start"]).days + 1)
        while d <= last:
            imp = int(r.lognormvariate(8.5, 0.6))
            clicks = int(imp * r.uniform(0.005, 0.05))
            r.uniform(0.01, 0.12)  # formerly the conversion rate, drawn at random
            r.uniform(30, 160)  # formerly the order value
            self.rows["campaign_performance"].append({
                "performance_id": self.next_id("PRF-", 8), "campaign_id": c["campaign_id"],
                "metric_date": fmt_date(d), "impressions": str(imp), "clicks": str(clicks),
                "conversions": "0", "revenue": money(0),
                "cost": money(daily * r.uniform(0.6, 1.2))})
            c["reported_to"] = d
            d += timedelta(days=1)

    def campaigns_live(self, when: datetime, types: tuple[str, ...] | None = None) -> list[dict]:
        d = when.date()
        return [c for c in self.campaigns if c["status"] != "Draft" and c["start"] <= d <= c["end"]
                and (types is None or c["type"] in types)]

    # ------------------------------------------------------- orders & events
    def make_orders_and_events(self) -> None:
        r = self.rng
        pweights = [p["weight"] for p in self.products]
        self.event_rows = self.rows["events"]
        for p in self.people:
            channels = self.order_channels(p)
            n_orders = 0 if r.random() < 0.3 else min(25, 1 + int(r.expovariate(1 / 2.5)))
            for _ in range(n_orders):
                self.place_order(p, channels, pweights)
            self.make_browsing(p)
            self.make_messages(p)
        for v in self.visitors:
            self.make_browsing(v, sessions=1 + int(r.expovariate(1 / 1.5)))

    def place_order(self, p: dict, channels: list[str], pweights: list[float], since: datetime | None = None) -> None:
        """An order of p in one of its channels, at a time it could order there (not before ``since``)."""
        ch = self.rng.choice(channels)
        lo = p.get("web_created", p["first_seen"]) if ch in ("web", "app") else p["first_seen"]
        if since is not None:
            lo = max(lo, since)
        self.make_order(p, ch, self.rand_dt(lo, self.as_of - timedelta(hours=1)), pweights)

    @staticmethod
    def order_channels(p: dict) -> list[str]:
        channels = []
        if p["web_user_id"]:
            channels += ["web"] * 3 + (["app"] * 2 if p["app"] else [])
        if p["crm_ids"] or p["loyalty_id"]:
            channels += ["store"] * 2
        return channels

    def make_order(self, p: dict, ch: str, at: datetime, pweights: list[float]) -> None:
        r = self.rng
        oid = self.next_id("ORD-", 8)
        recent = at > self.as_of - timedelta(days=5)
        status = r.choices(["completed", "returned", "cancelled", "pending"],
                           [84, 7, 4, 5 if recent else 0])[0]
        ids = {"web_user_id": "", "customer_id": "", "loyalty_id": ""}
        if ch in ("web", "app"):
            ids["web_user_id"] = p["web_user_id"]
            if p["loyalty_id"] and r.random() < 0.25:
                ids["loyalty_id"] = p["loyalty_id"]
        else:
            if p["loyalty_id"] and r.random() < 0.75:
                ids["loyalty_id"] = p["loyalty_id"]
            if p["crm_ids"] and (not ids["loyalty_id"] or r.random() < 0.3):
                ids["customer_id"] = p["crm_ids"][0]
            if not ids["loyalty_id"] and not ids["customer_id"]:
                ids["loyalty_id"] = p["loyalty_id"]
        self.rows["orders"].append({"order_id": oid, **ids, "ordered_at": fmt_ts(at, r), "status": status,
                                    "sales_channel": ch, "currency": p["currency"]})
        order_row = self.rows["orders"][-1]
        total = 0.0
        first_product = None
        for line in range(1, r.choices([1, 2, 3, 4], [50, 28, 15, 7])[0] + 1):
            prod = r.choices(self.products, pweights)[0]
            first_product = first_product or prod["product_id"]
            qty = r.choices([1, 2, 3], [75, 18, 7])[0]
            disc = round(prod["price"] * qty * r.choice([0, 0, 0, 0.1, 0.2]), 2)
            total += prod["price"] * qty - disc
            self.rows["order_items"].append({"order_id": oid, "line_number": str(line),
                                             "product_id": prod["product_id"], "quantity": str(qty),
                                             "unit_price": money(prod["price"]), "discount_amount": money(disc)})
        self.log_order(p["pid"], at, order_row, total, p["currency"])
        cents = int(round(total * 100))
        paid_at = at + timedelta(seconds=r.randint(5, 600))
        if status != "cancelled":
            if r.random() < 0.05:  # a declined attempt first
                self.add_payment(oid, r.choice(["credit_card", "debit_card"]), cents, "failed", paid_at)
                paid_at += timedelta(minutes=2)
            split = cents > 2000 and r.random() < 0.12
            promo = int(cents * r.uniform(0.1, 0.4)) if split else 0
            pay_status = "refunded" if status == "returned" else "success"
            method = r.choices(["credit_card", "debit_card", "paypal", "bank_transfer"], [50, 25, 18, 7])[0]
            self.add_payment(oid, method, cents - promo, pay_status, paid_at)
            if promo:
                self.add_payment(oid, r.choice(["coupon", "gift_card"]), promo, "success", paid_at)
        if ch in ("web", "app"):
            self.make_session(p, at - timedelta(minutes=r.randint(3, 25)), ch, purchase=(oid, total, first_product))

    def add_payment(self, oid: str, method: str, cents: int, status: str, at: datetime) -> None:
        self.rows["payments"].append({"payment_id": self.next_id("PAY-", 8), "order_id": oid,
                                      "payment_method": method, "amount_cents": str(max(1, cents)),
                                      "status": status, "paid_at": fmt_ts(at, self.rng)})

    def make_browsing(self, p: dict, sessions: int | None = None, since: datetime | None = None) -> None:
        r = self.rng
        if not p["devices"]:
            return
        if sessions is None:
            sessions = int(r.expovariate(1 / 4.0))
        lo = p.get("first_seen", self.start)
        if since is not None:
            lo = max(lo, since)
        for _ in range(sessions):
            at = self.rand_dt(lo, self.as_of - timedelta(hours=1))
            ch = "app" if p.get("app") and r.random() < 0.4 else "web"
            self.make_session(p, at, ch)

    def make_session(self, p: dict, at: datetime, ch: str, purchase: tuple | None = None,
                     landing_utm: dict | None = None) -> None:
        r = self.rng
        dev = r.choice(p["devices"]) if p["devices"] else f"anon-{r.getrandbits(48):012x}"
        if not p["devices"]:
            p["devices"].append(dev)
            self.person_map.append(("anonymous", dev, p["pid"]))
        platform = "web" if ch == "web" else r.choice(["ios", "android"])
        device_type = r.choices(["desktop", "mobile", "tablet"], [50, 42, 8])[0] if platform == "web" else \
            r.choice(["mobile", "tablet"])
        logged_in = bool(p.get("web_user_id")) and at >= p.get("web_created", at) and \
            (purchase is not None or r.random() < 0.5)
        wid = p.get("web_user_id") if logged_in else ""
        # acquisition: campaign (utm), organic, referral or direct
        utm = {"utm_source": "", "utm_medium": "", "utm_campaign": ""}
        referrer = ""
        roll = r.random()
        live = self.campaigns_live(at, ("Social", "Display", "Search"))
        if landing_utm is not None:  # the visit an e-mail link opened: its utm parameters
            utm = dict(landing_utm)
        elif platform == "web" and live and roll < 0.35:
            c = r.choice(live)
            src, med = CAMPAIGN_TYPES[c["type"]]
            if c["type"] == "Social":
                src = r.choice(SOCIAL_SOURCES)
            utm = {"utm_source": src, "utm_medium": med, "utm_campaign": c["utm"]}
            referrer = {"Search": "https://www.google.com/", "Social": f"https://www.{src}.com/"}.get(c["type"], "")
        elif platform == "web" and roll < 0.6:
            referrer = r.choice(REFERRERS["organic"])
        elif platform == "web" and roll < 0.72:
            referrer = r.choice(REFERRERS["referral"])
        self.log_touch(p.get("pid"), None, at, utm["utm_campaign"], direct=not (utm["utm_medium"] or referrer))
        t = at
        steps = []
        if platform == "web":
            steps.append("page_view")
            steps += r.choices(["page_view", "product_view", "search", "add_to_cart", "form_start"],
                               [40, 30, 10, 10, 3], k=int(r.expovariate(1 / 2.5)))
        else:
            steps += ["app_open"] + r.choices(["screen_view", "product_view", "feature_used", "search",
                                               "add_to_cart"], [45, 25, 15, 8, 7], k=1 + int(r.expovariate(1 / 2)))
            if r.random() < 0.01:
                steps.append("app_crash")
        if logged_in and r.random() < 0.15 and purchase is None:
            steps.insert(1, "login")
        if r.random() < 0.04:
            steps.append("experiment_exposure")
        if purchase:
            steps += ["product_view", "add_to_cart", "checkout_start", "purchase"]
        for i, et in enumerate(steps):
            ev = {c: "" for c in TABLES["events"]}
            ev.update({"event_id": self.next_id("EVT-", 9), "event_at": fmt_ts(t), "event_type": et,
                       "platform": platform, "anonymous_id": dev, "web_user_id": wid, "device_type": device_type})
            if i == 0:
                ev.update(utm)
                ev["referrer"] = referrer
            if platform == "web":
                page = r.choice(PAGES).replace("{p}", r.choice(self.products)["product_id"].lower())
                if et == "checkout_start" or et == "purchase":
                    page = "/checkout"
                q = "?" + "&".join(f"{k}={v}" for k, v in utm.items()) if (i == 0 and utm["utm_source"]) else ""
                ev["page_url"] = f"https://shop.example.com{page}{q}"
                if et == "page_view":
                    ev["lcp_ms"] = str(int(r.lognormvariate(7.6, 0.45)))
                    ev["cls"] = f"{r.lognormvariate(-2.8, 0.9):.3f}"
                    ev["inp_ms"] = str(int(r.lognormvariate(5.0, 0.6)))
            if et in ("product_view", "add_to_cart"):
                ev["product_id"] = purchase[2] if purchase else r.choice(self.products)["product_id"]
            if et == "search":
                ev["search_query"] = r.choice(["tent", "headphones", "gift", "sale", "running shoes", "lamp"])
            if et == "feature_used":
                ev["feature_name"] = r.choice(["wishlist", "store_locator", "barcode_scan", "reorder"])
            if et == "experiment_exposure":
                ev["experiment_id"] = r.choice(["EXP-checkout-v2", "EXP-hero-banner"])
                ev["variant"] = r.choice(["control", "treatment"])
            if et == "purchase":
                ev["order_id"], ev["revenue"] = purchase[0], money(purchase[1])
            self.event_rows.append(ev)
            t += timedelta(seconds=r.randint(8, 240))

    def make_messages(self, p: dict) -> None:
        """E-mail and push messages: sends, opens and clicks carry the CRM id."""
        r = self.rng
        if not p["crm_ids"]:
            return
        cid = p["crm_ids"][0]
        for c in self.campaigns:
            if c["type"] != "Email" or c["status"] == "Draft" or r.random() > self.email_rate:
                continue
            self.send_campaign_email(p, cid, c)
        if p.get("app"):
            for _ in range(int(r.expovariate(1 / 3))):
                self.send_push(p, cid, self.rand_dt(p["first_seen"], self.as_of - timedelta(hours=2)))

    def send_push(self, p: dict, cid: str, sent: datetime) -> None:
        """A push message to one of p's app installs, opened now and then."""
        r = self.rng
        device = r.choice(p["devices"]) if p["devices"] else ""
        self.add_message(cid, r.choice(["ios", "android"]), "push_sent", sent, None, device)
        if r.random() < 0.25:
            self.add_message(cid, "ios", "push_open", sent + timedelta(minutes=r.randint(1, 90)), None, device)

    def send_campaign_email(self, p: dict, cid: str, c: dict, since: datetime | None = None) -> None:
        """The campaign's e-mail to one customer (sent on its start day), maybe opened and clicked."""
        r = self.rng
        sent = datetime.combine(c["start"], datetime.min.time(), UTC) + timedelta(hours=r.randint(8, 12))
        if sent >= self.as_of or (since is not None and sent < since):
            return
        self.add_message(cid, "email", "email_sent", sent, c)
        if r.random() < 0.35:
            opened = sent + timedelta(minutes=r.randint(5, 60 * 48))
            if opened < self.as_of:
                self.add_message(cid, "email", "email_open", opened, c)
                if r.random() < 0.3:
                    clicked = opened + timedelta(seconds=r.randint(5, 120))
                    self.add_message(cid, "email", "email_click", clicked, c)
                    if p["devices"] and r.random() < 0.8:  # the click lands on the site, utm and all
                        self.make_session(p, clicked + timedelta(seconds=3), "web", landing_utm={
                            "utm_source": "newsletter", "utm_medium": "email", "utm_campaign": c["utm"]})

    def add_message(self, cid: str, platform: str, et: str, at: datetime, c: dict | None,
                    device: str = "") -> None:
        """An e-mail or push event. Push messages go to an app install, so they carry its device id."""
        if et in ("email_open", "email_click", "push_open"):
            self.log_touch(None, cid, at, c["utm"] if c is not None else "", direct=False)
        ev = {col: "" for col in TABLES["events"]}
        ev.update({"event_id": self.next_id("EVT-", 9), "event_at": fmt_ts(at), "event_type": et,
                   "platform": "email" if platform == "email" else platform, "customer_id": cid,
                   "anonymous_id": device})
        if c is not None and et == "email_click":
            ev.update({"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": c["utm"],
                       "page_url": f"https://shop.example.com/sale?utm_source=newsletter&utm_medium=email"
                                   f"&utm_campaign={c['utm']}"})
        elif c is not None:
            ev["utm_campaign"] = c["utm"]
        if platform != "email":
            ev["device_type"] = "mobile"
        self.rows["events"].append(ev)
