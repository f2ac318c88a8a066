#!/usr/bin/env python3
"""Deterministic generator of raw deliveries in the raw source contract.

Writes one CSV per table of ../shared/spec/raw_sources.md (all values text,
empty = missing) plus ground truth used only by tests:

* ``person_map.csv``       every source record (crm, loyalty, ecom, anonymous
                           device) -> the true person behind it
* ``injected_defects.csv`` every record broken on purpose: table, record_id,
                           rule_id (``DUPLICATE`` = an exact duplicate row that
                           the warehouse must collapse, not reject)
* ``manifest.json``        parameters and row counts
* ``changes.csv``          delivery 2 only: every record new or updated since
                           delivery 1 (source_table, record_id, change)

Each injected defect breaks exactly one rule; clean records break none, so the
rows the warehouse rejects per rule must equal what is listed here.

Delivery 2 (``--delivery 2``) is the cumulative extract of the same world 30
days later (as_of + 30 days): delivery 1 is generated exactly as without the
option, then a separate RNG stream adds new people with their records, updates
some customers, loyalty members, web accounts, products, campaign statuses,
pending orders and open tickets, and adds the activity of the new days. Rows of
delivery 1 that did not change are written byte for byte (in their delivery-1
order, new rows after them). Defects are injected into new and changed rows
only, at delivery 1's rates (at least one per table with any); the truth lists
every defect of the delivery-2 files, including those carried over (a delivery-1
time "in the future" that is in the past by the later as_of is no longer one).

Usage: generate_raw.py [--people N] [--out DIR] [--truth-out DIR] [--seed S]
                       [--as-of ISO_TIMESTAMP] [--delivery 1|2] [--quiet]
"""
from __future__ import annotations

import argparse
import collections
import csv
import json
import math
import os
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone

UTC = timezone.utc
DEFAULT_AS_OF = "2026-06-30T00:00:00Z"

# Column order of every table, exactly as in the raw source contract.
TABLES: dict[str, list[str]] = {
    "crm_customers": ["customer_id", "first_name", "last_name", "email", "phone", "date_of_birth", "gender",
                      "registration_date", "customer_segment", "lifetime_value", "country", "region", "city",
                      "postal_code", "preferred_language", "updated_at"],
    "loyalty_members": ["loyalty_id", "customer_id", "first_name", "last_name", "email", "phone", "tier",
                        "points_balance", "enrolled_at", "updated_at"],
    "ecom_accounts": ["web_user_id", "email", "first_name", "last_name", "phone", "country", "created_at",
                      "last_login_at"],
    "consents": ["consent_id", "source_system", "source_id", "scope", "status", "captured_at"],
    "interactions": ["interaction_id", "customer_id", "interaction_type", "interaction_at", "duration_minutes",
                     "outcome", "agent_id", "recorded_at"],
    "campaigns": ["campaign_id", "campaign_name", "campaign_type", "start_date", "end_date", "budget",
                  "target_audience", "status", "utm_campaign"],
    "campaign_performance": ["performance_id", "campaign_id", "metric_date", "impressions", "clicks",
                             "conversions", "revenue", "cost"],
    "products": ["product_id", "product_name", "category", "unit_price", "launched_at"],
    "orders": ["order_id", "web_user_id", "customer_id", "loyalty_id", "ordered_at", "status", "sales_channel",
               "currency"],
    "order_items": ["order_id", "line_number", "product_id", "quantity", "unit_price", "discount_amount"],
    "payments": ["payment_id", "order_id", "payment_method", "amount_cents", "status", "paid_at"],
    "events": ["event_id", "event_at", "event_type", "platform", "anonymous_id", "web_user_id", "customer_id",
               "page_url", "referrer", "utm_source", "utm_medium", "utm_campaign", "device_type", "order_id",
               "revenue", "product_id", "experiment_id", "variant", "feature_name", "search_query", "lcp_ms",
               "cls", "inp_ms"],
    "support_tickets": ["ticket_id", "customer_id", "opened_at", "resolved_at", "channel", "category",
                        "priority", "csat_score", "first_contact_resolution"],
    "nps_responses": ["response_id", "customer_id", "responded_at", "nps_score"],
}

# Key of each table as the warehouse reports it in dq_rejected_rows.record_id.
KEYS = {
    "crm_customers": ("customer_id",), "loyalty_members": ("loyalty_id",), "ecom_accounts": ("web_user_id",),
    "consents": ("consent_id",), "interactions": ("interaction_id",), "campaigns": ("campaign_id",),
    "campaign_performance": ("performance_id",), "products": ("product_id",), "orders": ("order_id",),
    "order_items": ("order_id", "line_number"), "payments": ("payment_id",), "events": ("event_id",),
    "support_tickets": ("ticket_id",), "nps_responses": ("response_id",),
}

# Share of a table's rows broken on purpose (spread over its rules, at least
# one row per rule). Customers and interactions breach the DDA's 1 % on
# purpose; small tables (campaigns, products) breach it through the minimum.
DEFECT_SHARE = {"crm_customers": 0.02, "interactions": 0.02}
DEFAULT_DEFECT_SHARE = 0.006
EXACT_DUPLICATE_SHARE = 0.004
# Delivery 2 is the same world this many days later.
DELIVERY2_DAYS = 30
# Defects that are a time after "now": with a later "now" they may no longer be defects.
FUTURE_RULES = {"CUS-03": ("registration_date", "date"), "INT-03": ("interaction_at", "ts"),
                "ORD-03": ("ordered_at", "ts"), "PAY-06": ("paid_at", "ts"), "EVT-02": ("event_at", "ts"),
                "LOY-04": ("enrolled_at", "ts"), "ECM-02": ("created_at", "ts"), "CON-05": ("captured_at", "ts"),
                "NPS-03": ("responded_at", "ts")}

FIRST_NAMES = {
    "F": ["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
          "Nancy", "Lisa", "Margaret", "Sandra", "Ashley", "Emily", "Donna", "Michelle", "Carol", "Amanda",
          "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sophie", "Emma", "Olivia", "Charlotte", "Hannah",
          "Anna", "Lea", "Camille", "Lucia", "Sofia", "Giulia", "Katherine", "Christine", "Victoria", "Alexandra"],
    "M": ["James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles",
          "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Joshua", "Kenneth",
          "Kevin", "Brian", "George", "Timothy", "Edward", "Oliver", "Harry", "Jack", "Lukas", "Felix", "Louis",
          "Hugo", "Pablo", "Marco", "Alessandro", "Jonathan", "Nicholas", "Benjamin", "Samuel", "Alexander"],
}
FIRST_NAMES["X"] = ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Robin", "Jamie"]
NICKNAMES = {"Robert": "Bob", "William": "Bill", "Richard": "Dick", "Joseph": "Joe", "Thomas": "Tom",
             "Charles": "Charlie", "Christopher": "Chris", "Daniel": "Dan", "Matthew": "Matt", "Anthony": "Tony",
             "Michael": "Mike", "David": "Dave", "James": "Jim", "Steven": "Steve", "Andrew": "Andy",
             "Joshua": "Josh", "Kenneth": "Ken", "Timothy": "Tim", "Edward": "Ed", "Jonathan": "Jon",
             "Nicholas": "Nick", "Benjamin": "Ben", "Samuel": "Sam", "Alexander": "Alex", "Elizabeth": "Liz",
             "Patricia": "Pat", "Jennifer": "Jen", "Margaret": "Maggie", "Katherine": "Kate",
             "Christine": "Chris", "Victoria": "Vicky", "Alexandra": "Alex", "Rebecca": "Becky",
             "Deborah": "Debbie", "Stephanie": "Steph", "Susan": "Sue", "Jessica": "Jess", "Amanda": "Mandy"}
LAST_NAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
              "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
              "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
              "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
              "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
              "Carter", "Roberts", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Moreau",
              "Laurent", "Rossi", "Russo", "Ferrari", "Jansen", "de Vries", "Murphy", "Kelly", "O'Brien",
              "Fernandez", "Ruiz", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Rogers", "Reed", "Cook",
              "Morgan", "Bell", "Murray", "Cooper", "Richardson", "Cox", "Howard", "Ward", "Peterson", "Gray",
              "Ramsey", "James", "Watson", "Brooks", "Kelley", "Sanders", "Price", "Bennett", "Wood", "Barnes"]
EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "aol.com",
                 "gmx.de", "orange.fr", "btinternet.com", "mail.com", "fastmail.com"]
COUNTRIES = [  # country, weight, calling code, trunk prefix, language, currency, (region, city, postal prefix)
    ("US", 58, "1", "", "en", "USD", [("CA", "Los Angeles", "900"), ("NY", "New York", "100"),
                                      ("TX", "Austin", "787"), ("IL", "Chicago", "606"), ("WA", "Seattle", "981"),
                                      ("FL", "Miami", "331"), ("MA", "Boston", "021")]),
    ("GB", 12, "44", "0", "en", "GBP", [("England", "London", "SW1"), ("England", "Manchester", "M1"),
                                        ("Scotland", "Edinburgh", "EH1")]),
    ("DE", 8, "49", "0", "de", "EUR", [("BE", "Berlin", "101"), ("BY", "Munich", "803"),
                                       ("HH", "Hamburg", "203")]),
    ("FR", 6, "33", "0", "fr", "EUR", [("IDF", "Paris", "750"), ("ARA", "Lyon", "690")]),
    ("CA", 6, "1", "", "en", "CAD", [("ON", "Toronto", "M5V"), ("BC", "Vancouver", "V6B")]),
    ("ES", 5, "34", "", "es", "EUR", [("MD", "Madrid", "280"), ("CT", "Barcelona", "080")]),
    ("NL", 5, "31", "0", "nl", "EUR", [("NH", "Amsterdam", "101"), ("ZH", "Rotterdam", "301")]),
]
COUNTRY_BY_CODE = {c[0]: c for c in COUNTRIES}
CATEGORIES = {"Outdoor": ["Tent", "Backpack", "Hiking Boots", "Rain Jacket", "Sleeping Bag", "Headlamp"],
              "Electronics": ["Headphones", "Smart Watch", "Speaker", "Charger", "E-Reader", "Keyboard"],
              "Home": ["Coffee Maker", "Blender", "Lamp", "Throw Blanket", "Cookware Set", "Candle"],
              "Apparel": ["T-Shirt", "Hoodie", "Jeans", "Sneakers", "Cap", "Socks"],
              "Beauty": ["Face Cream", "Shampoo", "Perfume", "Lip Balm", "Serum", "Sunscreen"]}
ADJECTIVES = ["Classic", "Pro", "Ultra", "Eco", "Essential", "Premium", "Lite", "Urban", "Trail", "Nova"]
CAMPAIGN_TYPES = {"Email": ("newsletter", "email"), "Social": ("facebook", "paid_social"),
                  "Display": ("gdn", "display"), "Search": ("google", "cpc")}
SOCIAL_SOURCES = ["facebook", "instagram", "tiktok"]
PAGES = ["/", "/products", "/products/{p}", "/cart", "/checkout", "/account", "/search", "/blog/guide",
         "/sale", "/help"]
AUDIENCES = ["VIP lapsed 90d", "New subscribers", "Cart abandoners", "All opted-in", "Lookalike 1%",
             "Loyalty Gold+", "Prospects EU", "High intent search"]
AGENTS = [f"AGT-{i:03d}" for i in range(1, 41)]
REFERRERS = {"organic": ["https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/"],
             "referral": ["https://www.reddit.com/r/deals", "https://blog.example.net/review",
                          "https://news.example.com/gift-guide"]}


def parse_iso(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(UTC)


def fmt_ts(dt: datetime, rng: random.Random | None = None) -> str:
    """ISO 8601 text; a few source systems send an offset instead of Z."""
    if rng is not None and rng.random() < 0.1:
        off = rng.choice([-5, -4, 1, 2])
        local = dt.astimezone(timezone(timedelta(hours=off)))
        return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{'+' if off >= 0 else '-'}{abs(off):02d}:00"
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fmt_date(d: date) -> str:
    return d.strftime("%Y-%m-%d")


def money(x: float) -> str:
    return f"{x:.2f}"


class Generator:
    def __init__(self, people: int, seed: int, as_of: datetime, quiet: bool = False):
        self.n = people
        self.rng = random.Random(seed)
        self.seed = seed
        self.as_of = as_of
        self.start = as_of - timedelta(days=int(365 * 2.5))
        self.quiet = quiet
        self.rows: dict[str, list[dict]] = {t: [] for t in TABLES}
        self.person_map: list[tuple[str, str, str]] = []
        self.defects: list[tuple[str, str, str]] = []
        self.counters: dict[str, int] = {}
        self.campaign_by_id: dict[str, dict] = {}
        self.delivery = 1

    # ---------------------------------------------------------------- helpers
    def next_id(self, prefix: str, width: int) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]:0{width}d}"

    def rand_dt(self, lo: datetime, hi: datetime) -> datetime:
        if hi <= lo:
            return lo
        return lo + timedelta(seconds=self.rng.randint(0, int((hi - lo).total_seconds())))

    def log(self, msg: str) -> None:
        if not self.quiet:
            print(msg, file=sys.stderr, flush=True)

    # ----------------------------------------------------------------- people
    def make_people(self) -> None:
        self.people = []
        self.used_emails: set[str] = set()
        self.households: list[dict] = []
        for i in range(self.n):
            self.add_person(i, self.start, self.as_of - timedelta(days=20))

    def add_person(self, i: int, seen_lo: datetime, seen_hi: datetime) -> dict:
        """Person number i (0-based), first seen between seen_lo and seen_hi."""
        rng = self.rng
        weights = [c[1] for c in COUNTRIES]
        used_emails, households = self.used_emails, self.households
        gender = rng.choices(["F", "M", "X"], [48, 48, 4])[0]
        first = rng.choice(FIRST_NAMES[gender])
        # ~18 % of people live with someone already generated: same address,
        # usually the same surname, sometimes a shared landline.
        home = None
        if households and rng.random() < 0.18:
            home = rng.choice(households[-200:])
        country = home["country"] if home else rng.choices(COUNTRIES, weights)[0][0]
        cinfo = COUNTRY_BY_CODE[country]
        last = home["last"] if home and rng.random() < 0.8 else rng.choice(LAST_NAMES)
        region, city, postal_prefix = home["addr"] if home else rng.choice(cinfo[6])
        postal = home["postal"] if home else f"{postal_prefix}{rng.randint(10, 99)}"
        nsn = self.national_number(country)
        landline = home["landline"] if home and home.get("landline") and rng.random() < 0.6 else None
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        email = None
        while email is None or email in used_emails:
            suffix = "" if rng.random() < 0.3 else str(rng.randint(1, 999))
            email = f"{base}{suffix}@{rng.choice(EMAIL_DOMAINS)}"
        used_emails.add(email)
        alt_email = None
        if rng.random() < 0.1:  # a second (work) address used in some systems
            alt_email = f"{first[0].lower()}{last.lower().replace(' ', '').replace(chr(39), '')}" \
                        f"{rng.randint(10, 99)}@{rng.choice(['acme.com', 'globex.io', 'initech.net'])}"
            if alt_email in used_emails:
                alt_email = None
            else:
                used_emails.add(alt_email)
        age = rng.randint(18, 85)
        dob = (self.as_of - timedelta(days=age * 365 + rng.randint(0, 364))).date()
        p = {"pid": f"P{i + 1:07d}", "first": first, "last": last, "gender": gender, "country": country,
             "region": region, "city": city, "postal": postal, "nsn": nsn, "landline": landline,
             "email": email, "alt_email": alt_email, "dob": dob, "lang": cinfo[4], "currency": cinfo[5]}
        # Which systems know this person (one to three).
        p["crm"] = rng.random() < 0.72
        p["loyalty"] = rng.random() < 0.38
        p["ecom"] = rng.random() < 0.58
        if not (p["crm"] or p["loyalty"] or p["ecom"]):
            p[rng.choice(["crm", "loyalty", "ecom"])] = True
        p["app"] = p["ecom"] and rng.random() < 0.35
        p["first_seen"] = self.rand_dt(seen_lo, seen_hi)
        self.people.append(p)
        if home is None:
            hh = {"country": country, "last": last, "addr": (region, city, postal_prefix), "postal": postal,
                  "landline": self.national_number(country) if rng.random() < 0.5 else None}
            households.append(hh)
        return p

    def national_number(self, country: str) -> str:
        r = self.rng
        if country in ("US", "CA"):
            return f"{r.randint(201, 989)}{r.randint(200, 999)}{r.randint(0, 9999):04d}"
        if country == "GB":
            return "20" + f"{r.randint(0, 99999999):08d}"
        if country == "DE":
            return "30" + f"{r.randint(0, 99999999):08d}"
        return str(r.randint(6, 7)) + f"{r.randint(0, 99999999):08d}"

    def format_phone(self, p: dict, nsn: str, with_country: bool) -> str:
        """The same number as different systems type it."""
        r = self.rng
        cinfo = COUNTRY_BY_CODE[p["country"]]
        code, trunk = cinfo[2], cinfo[3]
        if code == "1":
            a, e, l = nsn[:3], nsn[3:6], nsn[6:]
            styles = [f"+1 ({a}) {e}-{l}", f"{a}.{e}.{l}", f"({a}) {e}-{l}", f"{a}{e}{l}", f"+1{a}{e}{l}",
                      f"1-{a}-{e}-{l}", f"{a}-{e}-{l}"]
            return r.choice(styles)
        spaced = f"{nsn[:2]} {nsn[2:6]} {nsn[6:]}"
        styles = [f"+{code} {spaced}", f"00{code} {spaced}", f"+{code}{nsn}"]
        if with_country:  # a national format is only meaningful where the country is known
            styles += [f"{trunk}{spaced}" if trunk else spaced]
        return r.choice(styles)

    def vary_email(self, email: str, typo_rate: float = 0.02) -> str:
        r = self.rng
        local, domain = email.split("@")
        if r.random() < typo_rate and len(local) > 4:  # transposed letters, still a valid address
            i = r.randint(1, len(local) - 3)
            if local[i].isalpha() and local[i + 1].isalpha() and local[i] != local[i + 1]:
                local = local[:i] + local[i + 1] + local[i] + local[i + 2:]
        out = f"{local}@{domain}"
        if r.random() < 0.15:
            out = out.title() if r.random() < 0.5 else out.upper()
        if r.random() < 0.08:
            out = " " + out + " "
        return out

    def vary_first(self, first: str) -> str:
        r = self.rng
        if first in NICKNAMES and r.random() < 0.12:
            return NICKNAMES[first]
        if r.random() < 0.03:
            return first.upper()
        if r.random() < 0.04:
            return " " + first
        return first

    # ---------------------------------------------------------------- systems
    def make_systems(self) -> None:
        for p in self.people:
            self.add_person_systems(p)
        # Visitors no system knows (prospects): devices only.
        self.visitors = []
        self.add_visitors(int(self.n * 0.25))

    def add_person_systems(self, p: dict) -> None:
        r = self.rng
        p["crm_ids"], p["loyalty_id"], p["web_user_id"], p["devices"] = [], None, None, []
        p["reg"] = p["first_seen"]
        if p["crm"]:
            n_rec = 2 if r.random() < 0.03 else 1  # the CRM holds a duplicate account
            for k in range(n_rec):
                cid = self.next_id("CRM-", 7)
                p["crm_ids"].append(cid)
                self.person_map.append(("crm", cid, p["pid"]))
                reg = p["first_seen"] + timedelta(days=r.randint(0, 30) + 200 * k)
                reg = min(reg, self.as_of - timedelta(days=1))
                email = self.vary_email(p["alt_email"] if (p["alt_email"] and k == 1) else p["email"])
                phone = self.format_phone(p, p["landline"] or p["nsn"] if r.random() < 0.3 else p["nsn"],
                                          True)
                has_email, has_phone = r.random() > 0.06, r.random() > 0.12
                if not has_email and not has_phone:
                    has_email = True
                updated = self.rand_dt(reg, self.as_of - timedelta(hours=1))
                self.rows["crm_customers"].append({
                    "customer_id": cid, "first_name": self.vary_first(p["first"]), "last_name": p["last"],
                    "email": email if has_email else "", "phone": phone if has_phone else "",
                    "date_of_birth": fmt_date(p["dob"]) if r.random() < 0.8 else "",
                    "gender": p["gender"] if r.random() < 0.9 else "",
                    "registration_date": fmt_date(reg.date()),
                    "customer_segment": r.choices(["Standard", "Premium", "VIP"], [70, 22, 8])[0],
                    "lifetime_value": money(r.lognormvariate(5.5, 1.0)), "country": p["country"],
                    "region": p["region"], "city": p["city"], "postal_code": p["postal"],
                    "preferred_language": p["lang"], "updated_at": fmt_ts(updated, r)})
        if p["loyalty"]:
            lid = self.next_id("LOY-", 6)
            p["loyalty_id"] = lid
            self.person_map.append(("loyalty", lid, p["pid"]))
            enrolled = self.rand_dt(p["first_seen"], self.as_of - timedelta(days=2))
            intl = p["country"] not in ("US",)
            self.rows["loyalty_members"].append({
                "loyalty_id": lid,
                "customer_id": p["crm_ids"][0] if p["crm_ids"] and r.random() < 0.6 else "",
                "first_name": self.vary_first(p["first"]), "last_name": p["last"],
                "email": self.vary_email(p["email"]) if r.random() > 0.05 else "",
                "phone": self.format_phone(p, p["nsn"], not intl) if r.random() > 0.2 else "",
                "tier": r.choices(["Bronze", "Silver", "Gold", "Platinum"], [50, 28, 15, 7])[0],
                "points_balance": str(r.randint(0, 25000)), "enrolled_at": fmt_ts(enrolled, r),
                "updated_at": fmt_ts(self.rand_dt(enrolled, self.as_of - timedelta(hours=1)), r)})
        if p["ecom"]:
            wid = self.next_id("WEB-", 5)
            p["web_user_id"] = wid
            self.person_map.append(("ecom", wid, p["pid"]))
            created = self.rand_dt(p["first_seen"], self.as_of - timedelta(days=3))
            p["web_created"] = created
            email = p["alt_email"] if p["alt_email"] and r.random() < 0.4 else p["email"]
            self.rows["ecom_accounts"].append({
                "web_user_id": wid, "email": self.vary_email(email, 0.03),
                "first_name": self.vary_first(p["first"]) if r.random() > 0.1 else "",
                "last_name": p["last"] if r.random() > 0.1 else "",
                "phone": self.format_phone(p, p["nsn"], True) if r.random() < 0.45 else "",
                "country": p["country"] if r.random() > 0.1 else "",
                "created_at": fmt_ts(created, r),
                "last_login_at": fmt_ts(self.rand_dt(created, self.as_of - timedelta(hours=1)), r)})
        if p["ecom"] or p["app"] or r.random() < 0.3:
            for _ in range(1 + (r.random() < 0.35) + p["app"]):
                dev = f"anon-{r.getrandbits(48):012x}"
                p["devices"].append(dev)
                self.person_map.append(("anonymous", dev, p["pid"]))

    def add_visitors(self, count: int) -> list[dict]:
        r = self.rng
        added = []
        for _ in range(count):
            vid = f"V{len(self.visitors) + 1:07d}"
            dev = f"anon-{r.getrandbits(48):012x}"
            self.person_map.append(("anonymous", dev, vid))
            added.append({"pid": vid, "devices": [dev], "country": "US"})
            self.visitors.append(added[-1])
        return added

    def make_consents(self) -> None:
        for p in self.people:
            self.add_person_consents(p)

    def add_person_consents(self, p: dict) -> None:
        r = self.rng
        refs = [("crm", c) for c in p["crm_ids"]]
        refs += [("loyalty", p["loyalty_id"])] if p["loyalty_id"] else []
        refs += [("ecom", p["web_user_id"])] if p["web_user_id"] else []
        for system, sid in refs:
            for scope in ["email_marketing", "sms_offers", "push_notifications", "personalization"]:
                if r.random() < 0.45:
                    continue
                t = self.rand_dt(p["first_seen"], self.as_of - timedelta(days=1))
                for _ in range(1 + (r.random() < 0.25)):
                    self.rows["consents"].append({
                        "consent_id": self.next_id("CNS-", 8), "source_system": system, "source_id": sid,
                        "scope": scope, "status": "opted_in" if r.random() < 0.7 else "opted_out",
                        "captured_at": fmt_ts(t, r)})
                    t = self.rand_dt(t + timedelta(hours=1), self.as_of - timedelta(hours=1))

    def make_interactions_support(self) -> None:
        for p in self.people:
            self.add_person_service(p)

    def add_person_service(self, p: dict) -> None:
        r = self.rng
        for cid in p["crm_ids"]:
            if r.random() < 0.42:
                for _ in range(r.randint(1, 6)):
                    self.add_interaction(cid, self.rand_dt(p["reg"], self.as_of - timedelta(hours=2)))
            if r.random() < 0.25:
                for _ in range(r.randint(1, 3)):
                    self.add_ticket(cid, self.rand_dt(p["reg"], self.as_of - timedelta(hours=3)))
            if r.random() < 0.2:
                self.add_nps_response(cid, p["reg"])

    def add_interaction(self, cid: str, at: datetime) -> None:
        r = self.rng
        rec = at + timedelta(minutes=r.choice([1, 5, 30, 90, 300, 900, 1380]) + r.randint(0, 50))
        self.rows["interactions"].append({
            "interaction_id": self.next_id("INT-", 8), "customer_id": cid,
            "interaction_type": r.choices(["Email", "Phone", "Chat", "In-Person"], [35, 30, 25, 10])[0],
            "interaction_at": fmt_ts(at, r), "duration_minutes": str(r.randint(1, 75)),
            "outcome": r.choices(["Positive", "Neutral", "Negative"], [50, 35, 15])[0],
            "agent_id": r.choice(AGENTS), "recorded_at": fmt_ts(rec, r)})

    def add_ticket(self, cid: str, opened: datetime) -> None:
        r = self.rng
        resolved = opened + timedelta(minutes=r.randint(10, 60 * 24 * 10))
        is_resolved = resolved < self.as_of and r.random() < 0.9
        self.rows["support_tickets"].append({
            "ticket_id": self.next_id("TCK-", 7), "customer_id": cid,
            "opened_at": fmt_ts(opened, r), "resolved_at": fmt_ts(resolved, r) if is_resolved else "",
            "channel": r.choice(["email", "phone", "chat"]),
            "category": r.choice(["billing", "delivery", "product", "account", "returns"]),
            "priority": r.choices(["low", "medium", "high", "urgent"], [40, 35, 20, 5])[0],
            "csat_score": str(r.randint(1, 5)) if is_resolved and r.random() < 0.6 else "",
            "first_contact_resolution": "true" if r.random() < 0.55 else "false"})

    def add_nps_response(self, cid: str, lo: datetime) -> None:
        r = self.rng
        self.rows["nps_responses"].append({
            "response_id": self.next_id("NPS-", 7), "customer_id": cid,
            "responded_at": fmt_ts(self.rand_dt(lo, self.as_of - timedelta(hours=1)), r),
            "nps_score": str(min(10, max(0, int(r.gauss(7.5, 2.2)))))})

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
            if start > today:
                status = "Draft"
            elif end < today:
                status = "Completed"
            else:
                status = "Paused" if r.random() < 0.15 and i >= 3 else "Active"
            self.add_campaign(i, ctype, start, end, status)
        # The first Active campaign stops reporting three days before "now":
        # the delivery breaches PRF-06 (updated daily) on purpose.
        self.stale_campaign = next(c["campaign_id"] for c in self.campaigns if c["status"] == "Active")

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

    def make_campaign_performance(self, skip: set[str]) -> None:
        yesterday = self.as_of.date() - timedelta(days=1)
        for c in self.campaigns:
            if c["status"] == "Draft" or c["campaign_id"] in skip:
                continue
            last = min(c["end"], yesterday)
            if c["campaign_id"] == self.stale_campaign:
                last = yesterday - timedelta(days=3)
            self.add_performance_days(c, c["start"], last)

    def add_performance_days(self, c: dict, first: date, last: date) -> None:
        """One metrics row per day from first to last (none when last < first)."""
        r = self.rng
        d = first
        daily = c["budget"] / max(1, (c["end"] - c["start"]).days + 1)
        while d <= last:
            imp = int(r.lognormvariate(8.5, 0.6))
            clicks = int(imp * r.uniform(0.005, 0.05))
            conv = int(clicks * r.uniform(0.01, 0.12))
            self.rows["campaign_performance"].append({
                "performance_id": self.next_id("PRF-", 8), "campaign_id": c["campaign_id"],
                "metric_date": fmt_date(d), "impressions": str(imp), "clicks": str(clicks),
                "conversions": str(conv), "revenue": money(conv * r.uniform(30, 160)),
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
                ch = r.choice(channels)
                lo = p.get("web_created", p["first_seen"]) if ch in ("web", "app") else p["first_seen"]
                at = self.rand_dt(lo, self.as_of - timedelta(hours=1))
                self.make_order(p, ch, at, pweights)
            self.make_browsing(p)
            self.make_messages(p)
        for v in self.visitors:
            self.make_browsing(v, sessions=1 + int(r.expovariate(1 / 1.5)))

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
                sent = self.rand_dt(p["first_seen"], self.as_of - timedelta(hours=2))
                device = r.choice(p["devices"]) if p["devices"] else ""
                self.add_message(cid, r.choice(["ios", "android"]), "push_sent", sent, None, device)
                if r.random() < 0.25:
                    self.add_message(cid, "ios", "push_open", sent + timedelta(minutes=r.randint(1, 90)), None,
                                     device)

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

    # ------------------------------------------------------------- defects
    def record_id(self, table: str, row: dict) -> str:
        return ":".join(row[k] for k in KEYS[table])

    def defect_plans(self) -> dict[str, list[tuple[str, object]]]:
        """Per table, each rule with a function that breaks a row against it (or "special")."""
        r = self.rng
        future = self.as_of + timedelta(days=r.randint(3, 60))
        fut_ts = fmt_ts(future)
        bad_ts = ["2025-13-01T10:00:00Z", "yesterday", "2025-02-30T08:00:00Z", "03/15/2025 10:00"]

        def dup(table, changes):
            def f(row):
                new = dict(row)
                changes(new)
                self.rows[table].append(new)
                return new
            return f

        def later_ts(col):
            def f(row):
                t = parse_iso(row[col])
                row[col] = fmt_ts(max(t, min(t + timedelta(hours=r.randint(1, 48)),
                                             self.as_of - timedelta(seconds=30))))
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
                ("CUS-03", set_("registration_date", lambda: fmt_date((self.as_of + timedelta(
                    days=r.randint(2, 200))).date()))),
                ("CUS-04", lambda row: row.update(r.choice([{"last_name": ""}, {"first_name": ""},
                                                            {"registration_date": ""},
                                                            {"email": "", "phone": ""}]))),
                ("CUS-05", lambda row: row.update(r.choice([{"registration_date": "2025-02-30"},
                                                            {"registration_date": "15/03/2025"},
                                                            {"date_of_birth": "1985-13-01"},
                                                            {"date_of_birth": "12-07-1979"}]))),
                ("CUS-06", set_("date_of_birth", lambda: r.choice(["1890-05-17", "1875-01-01", fmt_date(
                    (self.as_of + timedelta(days=400)).date())]))),
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

    def inject_defects(self) -> None:
        """Break a controlled share of rows, each against exactly one rule."""
        r = self.rng
        plans = self.defect_plans()
        # CMP-02 campaigns must have no performance rows (they would otherwise
        # all break PRF-04 too): pick Draft campaigns.
        self.cmp02_skip: set[str] = set()
        for table, plan in plans.items():
            rows = self.rows[table]
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
                    row = rows[idx]
                    used.add(idx)
                    if fn == "special":
                        rec = self.special_defect(table, rule, row)
                    else:
                        out = fn(row)
                        rec = self.record_id(table, out if isinstance(out, dict) else row)
                    self.defects.append((table, rec, rule))
            if table == "campaigns":  # performance is generated after the campaigns are final
                self.make_campaign_performance(self.cmp02_skip)
        # Exact duplicates (a row delivered twice): collapsed, never rejected.
        for table in TABLES:
            rows = self.rows[table]
            n_dup = int(len(rows) * EXACT_DUPLICATE_SHARE) if len(rows) > 200 else 0
            bad = {(t, rid) for t, rid, _ in self.defects if t == table}
            candidates = [i for i in range(len(rows)) if (table, self.record_id(table, rows[i])) not in bad]
            for idx in r.sample(candidates, min(n_dup, len(candidates))):
                rows.append(dict(rows[idx]))
                self.defects.append((table, self.record_id(table, rows[idx]), "DUPLICATE"))

    def pick_row(self, table, rule, rows, pick, used):
        for idx in pick:
            if idx in used:
                continue
            if self.row_fits(table, rule, rows[idx]):
                return idx
        return None

    def row_fits(self, table: str, rule: str, row: dict) -> bool:
        """Whether breaking this row against this rule breaks that rule only."""
        if table == "campaigns":
            status = self.campaign_by_id[row["campaign_id"]]["status"]
            if rule == "CMP-02" and status != "Draft":
                return False
            if status == "Active" and rule in ("CMP-04",):
                return False
            if row["campaign_id"] == self.stale_campaign:
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
        r = self.rng
        if rule == "PRF-01":  # a second row for the same campaign and day, under a new id
            new = dict(row)
            new["performance_id"] = self.next_id("PRF-", 8)
            new["impressions"] = str(int(row["impressions"]) + 1)
            self.rows[table].append(new)
            return new["performance_id"]
        if rule == "PRF-04":  # a day after the campaign ended
            c = next(c for c in self.campaigns if c["campaign_id"] == row["campaign_id"])
            self.counters["prf04"] = self.counters.get("prf04", 0) + 1
            row["metric_date"] = fmt_date(c["end"] + timedelta(days=100 + self.counters["prf04"]))
            return row["performance_id"]
        if rule == "SUP-02":  # resolved before it was opened
            row["resolved_at"] = fmt_ts(parse_iso(row["opened_at"]) - timedelta(hours=r.randint(1, 72)))
            return row["ticket_id"]
        raise ValueError(rule)

    # ----------------------------------------------------------- delivery 2
    def run_delivery2(self, days: int = DELIVERY2_DAYS) -> None:
        """A later cumulative extract of the same world, ``days`` after delivery 1.

        Delivery 1 must have been generated (run()). Its rows stay as they are
        unless the world changed them; new people, activity and changes of the
        extra days are added with their own RNG stream, so delivery 1 is the
        same with or without delivery 2.
        """
        self.base_counts = {t: len(rows) for t, rows in self.rows.items()}
        self.d1_versions = {t: self.record_versions(t) for t in TABLES}
        self.d1_defects = list(self.defects)
        self.d1_bad = {(t, rid) for t, rid, _ in self.defects}
        self.defects = []
        self.changed: dict[str, set[int]] = {t: set() for t in TABLES}
        self.rng = random.Random(f"{self.seed}-delivery-2")
        self.since = self.as_of
        self.as_of = self.as_of + timedelta(days=days)
        self.delivery = 2
        steps = [("new people and their records", self.d2_new_people),
                 ("catalogue, campaigns and metrics", self.d2_catalogue_and_campaigns),
                 ("customer, loyalty and account changes", self.d2_record_changes),
                 ("activity of the new days", self.d2_activity),
                 ("order and ticket updates", self.d2_order_and_ticket_updates),
                 ("defects of new and changed rows", self.d2_inject_defects)]
        for name, fn in steps:
            t = time.time()
            fn()
            self.log(f"  generated {name:<38} {time.time() - t:6.1f}s")
        self.d2_truth()

    def record_versions(self, table: str) -> dict[str, collections.Counter]:
        """record_id -> the rows delivered for it (as tuples, with their copy counts)."""
        cols = TABLES[table]
        out: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for row in self.rows[table]:
            out[self.record_id(table, row)][tuple(row[c] for c in cols)] += 1
        return out

    def is_clean_d1(self, table: str, row: dict) -> bool:
        """A delivery-1 row that broke no rule and has no duplicate: the only kind the world changes."""
        return (table, self.record_id(table, row)) not in self.d1_bad

    def update_row(self, table: str, idx: int, changes: dict) -> None:
        self.rows[table][idx].update(changes)
        self.changed[table].add(idx)

    def clean_d1_indices(self, table: str) -> list[int]:
        rows = self.rows[table]
        return [i for i in range(self.base_counts[table]) if self.is_clean_d1(table, rows[i])]

    def window_ts(self, hours_before_now: int = 1) -> datetime:
        return self.rand_dt(self.since, self.as_of - timedelta(hours=hours_before_now))

    def d2_new_people(self) -> None:
        r = self.rng
        self.new_people = []
        for i in range(len(self.people), len(self.people) + max(1, round(self.n * 0.03))):
            p = self.add_person(i, self.since, self.as_of - timedelta(days=2))
            self.add_person_systems(p)
            self.add_person_consents(p)
            self.add_person_service(p)
            self.new_people.append(p)
        self.returning_visitors = r.sample(self.visitors, min(len(self.visitors), round(len(self.visitors) * 0.05)))
        self.new_visitors = self.add_visitors(max(1, round(len(self.visitors) * 0.03)))

    def d2_catalogue_and_campaigns(self) -> None:
        r = self.rng
        today, yesterday = self.as_of.date(), self.as_of.date() - timedelta(days=1)
        # products: a few launches and price changes
        for _ in range(max(1, round(len(self.products) * 0.02))):
            self.add_product(self.window_ts().date())
        rows = self.rows["products"]
        by_id = {prod["product_id"]: prod for prod in self.products}
        clean = self.clean_d1_indices("products")
        for idx in sorted(r.sample(clean, min(len(clean), max(1, round(len(clean) * 0.03))))):
            prod = by_id[rows[idx]["product_id"]]
            prod["price"] = round(prod["price"] * r.choice([0.85, 0.9, 1.1, 1.15]), 2)
            self.update_row("products", idx, {"unit_price": money(prod["price"])})
        # campaigns: statuses move on with the calendar; new campaigns start
        rows = self.rows["campaigns"]
        first_row = {}
        for idx in range(self.base_counts["campaigns"]):
            first_row.setdefault(rows[idx]["campaign_id"], idx)
        for c in list(self.campaigns):
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
        n_d1 = len(self.campaigns)
        for k in range(max(3, round(n_d1 * (self.as_of - self.since).days / 900))):
            i = n_d1 + k
            ctype = r.choice(list(CAMPAIGN_TYPES))
            if k == 0:  # one starts running during the new days ...
                start = self.since.date() + timedelta(days=r.randint(1, max(1, (self.as_of - self.since).days - 5)))
                end = today + timedelta(days=r.randint(5, 30))
            elif k == 1:  # ... one is planned
                start = today + timedelta(days=r.randint(5, 30))
                end = start + timedelta(days=r.randint(14, 60))
            else:
                start = self.rand_dt(self.since, self.as_of + timedelta(days=20)).date()
                end = start + timedelta(days=r.randint(14, 90))
            if start > today:
                status = "Draft"
            elif end < today:
                status = "Completed"
            else:
                status = "Paused" if r.random() < 0.15 and k > 0 else "Active"
            self.add_campaign(i, ctype, start, end, status)
        # The first Active campaign (delivered without defects) stops reporting three days before "now".
        self.stale_campaign = next(
            c["campaign_id"] for c in self.campaigns if c["status"] == "Active"
            and (c["campaign_id"] not in first_row or self.is_clean_d1("campaigns", rows[first_row[c["campaign_id"]]])))
        # no metrics for campaigns delivered with broken dates: PRF-04 could not judge them (CMP-06) or
        # would reject them all (CMP-02)
        broken_dates = {rid for t, rid, rule in self.d1_defects if rule in ("CMP-02", "CMP-06")}
        for c in self.campaigns:
            if c["status"] == "Draft" or c["campaign_id"] in broken_dates:
                continue
            last = min(c["end"], yesterday)
            if c["campaign_id"] == self.stale_campaign:
                last = yesterday - timedelta(days=3)
            first = c["reported_to"] + timedelta(days=1) if c.get("reported_to") else c["start"]
            self.add_performance_days(c, first, last)

    def d2_record_changes(self) -> None:
        """Customers, members and accounts the sources changed (updated_at / last_login_at bumped)."""
        r = self.rng
        person_of = {}
        for p in self.people:
            for cid in p["crm_ids"]:
                person_of[("crm", cid)] = p
        # ~5 % of CRM customers: a new e-mail, a new phone or another segment
        rows = self.rows["crm_customers"]
        clean = self.clean_d1_indices("crm_customers")
        for idx in sorted(r.sample(clean, round(len(clean) * 0.05))):
            row = rows[idx]
            p = person_of[("crm", row["customer_id"])]
            kind = r.choices(["email", "phone", "segment"], [40, 25, 35])[0]
            changes = {}
            if kind == "email":
                local = p["email"].split("@")[0]
                email = f"{local}@{r.choice([d for d in EMAIL_DOMAINS if not p['email'].endswith('@' + d)])}"
                if email not in self.used_emails:
                    self.used_emails.add(email)
                    changes["email"] = self.vary_email(email)
            elif kind == "phone":
                changes["phone"] = self.format_phone(p, self.national_number(p["country"]), True)
            if not changes:
                changes["customer_segment"] = r.choice([s for s in ["Standard", "Premium", "VIP"]
                                                        if s != row["customer_segment"]])
            changes["updated_at"] = fmt_ts(self.window_ts(), r)
            self.update_row("crm_customers", idx, changes)
        # ~10 % of loyalty members: points earned or spent, sometimes a new tier
        tiers = ["Bronze", "Silver", "Gold", "Platinum"]
        rows = self.rows["loyalty_members"]
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
        rows = self.rows["ecom_accounts"]
        clean = self.clean_d1_indices("ecom_accounts")
        for idx in sorted(r.sample(clean, round(len(clean) * 0.08))):
            self.update_row("ecom_accounts", idx, {"last_login_at": fmt_ts(self.window_ts(), r)})
        # new consent captures of known people
        scopes = ["email_marketing", "sms_offers", "push_notifications", "personalization"]
        for p in self.people[:self.n]:
            refs = [("crm", c) for c in p["crm_ids"]]
            refs += [("loyalty", p["loyalty_id"])] if p["loyalty_id"] else []
            refs += [("ecom", p["web_user_id"])] if p["web_user_id"] else []
            for system, sid in refs:
                if r.random() < 0.04:
                    self.rows["consents"].append({
                        "consent_id": self.next_id("CNS-", 8), "source_system": system, "source_id": sid,
                        "scope": r.choice(scopes), "status": "opted_in" if r.random() < 0.6 else "opted_out",
                        "captured_at": fmt_ts(self.window_ts(), r)})

    def d2_activity(self) -> None:
        """Orders, sessions, messages and service contacts of the new days."""
        r = self.rng
        pweights = [prod["weight"] for prod in self.products]
        self.event_rows = self.rows["events"]
        new_ids = {p["pid"] for p in self.new_people}
        window_campaigns = [c for c in self.campaigns if c["type"] == "Email" and c["status"] != "Draft"
                            and c["start"] >= self.since.date()]
        for p in self.people:
            is_new = p["pid"] in new_ids
            rate = 0.5 if is_new else 0.16
            channels = self.order_channels(p)
            for _ in range((r.random() < rate) + (r.random() < rate / 4)):
                ch = r.choice(channels)
                lo = p.get("web_created", p["first_seen"]) if ch in ("web", "app") else p["first_seen"]
                self.make_order(p, ch, self.rand_dt(max(lo, self.since), self.as_of - timedelta(hours=1)), pweights)
            self.make_browsing(p, sessions=(r.random() < (0.6 if is_new else 0.25)) + (r.random() < 0.08),
                               since=self.since)
            if p["crm_ids"]:
                cid = p["crm_ids"][0]
                for c in window_campaigns:
                    if r.random() < self.email_rate:
                        self.send_campaign_email(p, cid, c, since=self.since)
                if p.get("app") and r.random() < 0.2:
                    sent = self.window_ts(2)
                    device = r.choice(p["devices"]) if p["devices"] else ""
                    self.add_message(cid, r.choice(["ios", "android"]), "push_sent", sent, None, device)
                    if r.random() < 0.25:
                        self.add_message(cid, "ios", "push_open", sent + timedelta(minutes=r.randint(1, 90)), None,
                                         device)
            if not is_new:  # new people got theirs with their records
                for cid in p["crm_ids"]:
                    if r.random() < 0.1:
                        self.add_interaction(cid, self.window_ts(2))
                    if r.random() < 0.035:
                        self.add_ticket(cid, self.window_ts(3))
                    if r.random() < 0.015:
                        self.add_nps_response(cid, self.since)
        for v in self.returning_visitors:
            self.make_browsing(v, sessions=1, since=self.since)
        for v in self.new_visitors:
            self.make_browsing(v, sessions=1 + int(r.expovariate(1 / 1.5)), since=self.since)

    def d2_order_and_ticket_updates(self) -> None:
        """Pending orders of delivery 1 completed; some open tickets resolved."""
        r = self.rng
        rows = self.rows["orders"]
        for idx in self.clean_d1_indices("orders"):
            if rows[idx]["status"] == "pending":
                self.update_row("orders", idx, {"status": "completed"})
        rows = self.rows["support_tickets"]
        for idx in self.clean_d1_indices("support_tickets"):
            row = rows[idx]
            if row["resolved_at"] or r.random() > 0.7:
                continue
            resolved = self.rand_dt(max(parse_iso(row["opened_at"]), self.since), self.as_of - timedelta(hours=1))
            self.update_row("support_tickets", idx, {
                "resolved_at": fmt_ts(resolved, r),
                "csat_score": str(r.randint(1, 5)) if r.random() < 0.6 else ""})

    def d2_inject_defects(self) -> None:
        """Break new and changed rows at the rates of delivery 1 (at least one per table with any).

        The first broken row of a table with changed rows is a changed one, so a
        record accepted in delivery 1 and rejected in delivery 2 always occurs.
        """
        r = self.rng
        plans = self.defect_plans()
        for table, plan in plans.items():
            rows = self.rows[table]
            changed = sorted(self.changed[table])
            candidates = changed + list(range(self.base_counts[table], len(rows)))
            if not candidates:
                continue
            share = DEFECT_SHARE.get(table, DEFAULT_DEFECT_SHARE)
            total = max(1, int(round(len(candidates) * share)))
            order = list(candidates)
            r.shuffle(order)
            rules = list(plan)
            r.shuffle(rules)
            if changed:
                first = r.choice(changed)
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
                row = rows[idx]
                used.add(idx)
                if fn == "special":
                    rec = self.special_defect(table, rule, row)
                else:
                    out = fn(row)
                    rec = self.record_id(table, out if isinstance(out, dict) else row)
                self.defects.append((table, rec, rule))
        # Exact duplicates among the new and changed rows.
        for table in TABLES:
            rows = self.rows[table]
            candidates = sorted(self.changed[table]) + list(range(self.base_counts[table], len(rows)))
            n_dup = int(len(candidates) * EXACT_DUPLICATE_SHARE) if len(candidates) > 200 else 0
            bad = {rid for t, rid, _ in self.defects if t == table} | {rid for t, rid in self.d1_bad if t == table}
            candidates = [i for i in candidates if self.record_id(table, rows[i]) not in bad]
            for idx in r.sample(candidates, min(n_dup, len(candidates))):
                rows.append(dict(rows[idx]))
                self.defects.append((table, self.record_id(table, rows[idx]), "DUPLICATE"))

    def still_breaks(self, table: str, record_id: str, rule: str, rows_by_id: dict) -> bool:
        """A delivery-1 defect that is a time in the future may have become the past."""
        if rule not in FUTURE_RULES:
            return True
        column, kind = FUTURE_RULES[rule]
        for row in rows_by_id[record_id]:
            try:
                if kind == "date":
                    if date.fromisoformat(row[column]) <= self.as_of.date():
                        return False
                elif parse_iso(row[column]) <= self.as_of:
                    return False
            except ValueError:
                pass  # unreadable: still broken
        return True

    def d2_truth(self) -> None:
        """Defects of every row in the delivery, and what changed since delivery 1."""
        future_tables = {t for t, _, rule in self.d1_defects if rule in FUTURE_RULES}
        rows_by_id = {t: collections.defaultdict(list) for t in future_tables}
        for t in future_tables:
            for row in self.rows[t]:
                rows_by_id[t][self.record_id(t, row)].append(row)
        carried = [(t, rid, rule) for t, rid, rule in self.d1_defects
                   if rule == "DUPLICATE" or self.still_breaks(t, rid, rule, rows_by_id.get(t, {}))]
        self.healed = sorted(set(self.d1_defects) - set(carried))
        self.defects = carried + self.defects
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

    # ----------------------------------------------------------------- output
    def run(self) -> None:
        steps = [("people", self.make_people), ("crm, loyalty and ecom records", self.make_systems),
                 ("consents", self.make_consents), ("interactions and support", self.make_interactions_support),
                 ("catalogue and campaigns", self.make_catalogue_and_campaigns),
                 ("orders, payments and events", self.make_orders_and_events),
                 ("defects", self.inject_defects)]
        for name, fn in steps:
            t = time.time()
            fn()
            self.log(f"  generated {name:<32} {time.time() - t:6.1f}s")

    def write(self, out: str, truth: str) -> dict:
        os.makedirs(out, exist_ok=True)
        os.makedirs(truth, exist_ok=True)
        counts = {}
        for table, cols in TABLES.items():
            rows = self.rows[table]
            # shuffle deterministically so duplicates and defects are not clustered at the end
            base = self.base_counts[table] if self.delivery == 2 else len(rows)
            order = list(range(base))
            random.Random(f"{self.seed}-{table}").shuffle(order)
            if self.delivery == 2:  # rows of delivery 1 in the same places, new rows after them
                added = list(range(base, len(rows)))
                random.Random(f"{self.seed}-{table}-delivery-2").shuffle(added)
                order += added
            with open(os.path.join(out, f"{table}.csv"), "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(cols)
                for i in order:
                    w.writerow([rows[i][c] for c in cols])
            counts[table] = len(rows)
            self.log(f"  wrote {table:<22} {len(rows):>10,} rows")
        with open(os.path.join(truth, "person_map.csv"), "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["source_system", "source_id", "person_id"])
            w.writerows(sorted(self.person_map))
        with open(os.path.join(truth, "injected_defects.csv"), "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["source_table", "record_id", "rule_id"])
            w.writerows(sorted(self.defects))
        manifest = {"people": self.n, "seed": self.seed, "as_of": fmt_ts(self.as_of), "rows": counts,
                    "stale_campaign": self.stale_campaign}
        if self.delivery == 2:
            manifest.update({"delivery": 2, "previous_as_of": fmt_ts(self.since),
                             "new_people": len(self.new_people),
                             "changes": dict(collections.Counter(f"{t}:{c}" for t, _, c in self.changes)),
                             "healed_defects": len(self.healed)})
            with open(os.path.join(truth, "changes.csv"), "w", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(["source_table", "record_id", "change"])
                w.writerows(sorted(self.changes))
        with open(os.path.join(truth, "manifest.json"), "w") as fh:
            json.dump(manifest, fh, indent=2, sort_keys=True)
            fh.write("\n")
        return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=2000, help="number of people to simulate (default 2000)")
    ap.add_argument("--out", default="seeds/sample", help="directory for the 14 CSV files (default seeds/sample)")
    ap.add_argument("--truth-out", default=None, help="directory for ground truth (default OUT/_truth)")
    ap.add_argument("--seed", type=int, default=42, help="RNG seed (default 42)")
    ap.add_argument("--as-of", default=DEFAULT_AS_OF, help=f"reference time (default {DEFAULT_AS_OF})")
    ap.add_argument("--delivery", type=int, choices=(1, 2), default=1,
                    help=f"1 (default): the delivery as of --as-of; 2: the cumulative extract of the same world "
                         f"{DELIVERY2_DAYS} days later (delivery 1 plus what was added and changed since)")
    ap.add_argument("--quiet", action="store_true", help="no progress output")
    args = ap.parse_args(argv)
    if args.people < 10:
        ap.error("--people must be at least 10")
    try:
        as_of = parse_iso(args.as_of)
    except ValueError:
        ap.error(f"--as-of must be an ISO 8601 timestamp, got {args.as_of!r}")
    truth = args.truth_out or os.path.join(args.out, "_truth")
    t0 = time.time()
    gen = Generator(args.people, args.seed, as_of, args.quiet)
    gen.log(f"generating {args.people:,} people (seed {args.seed}, as_of {fmt_ts(as_of)})")
    gen.run()
    if args.delivery == 2:
        gen.log(f"delivery 2: {DELIVERY2_DAYS} days later, as_of {fmt_ts(gen.as_of + timedelta(days=DELIVERY2_DAYS))}")
        gen.run_delivery2()
    manifest = gen.write(args.out, truth)
    by_rule: dict[str, int] = {}
    for _, _, rule in gen.defects:
        by_rule[rule] = by_rule.get(rule, 0) + 1
    if not args.quiet:
        print(f"\nwrote {sum(manifest['rows'].values()):,} rows in {len(TABLES)} files to {args.out} "
              f"in {time.time() - t0:.1f}s; ground truth in {truth}")
        print(f"injected defects: {sum(v for k, v in by_rule.items() if k != 'DUPLICATE')} rows over "
              f"{len(by_rule) - ('DUPLICATE' in by_rule)} rules; {by_rule.get('DUPLICATE', 0)} exact duplicates")
        if args.delivery == 2:
            print(f"delivery 2 as of {manifest['as_of']}: {len(gen.changes):,} records new or updated since "
                  f"delivery 1 (truth/changes.csv); {len(gen.healed)} defects of delivery 1 no longer in the future")
    return 0


if __name__ == "__main__":
    sys.exit(main())
