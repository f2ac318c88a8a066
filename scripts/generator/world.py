"""The simulated world: people, the records the source systems hold about them, service contacts.

``World`` holds the whole state of a delivery (the RNG, the rows of every table,
the ground-truth person map, id counters, the clock ``as_of``); its activity
(catalogue, campaigns, orders, browsing, messages) is in ``activity.Activity``.
Defects (defects.py) and later deliveries (later.py) work on a World.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from .activity import Activity
from .contract import TABLES, fmt_date, fmt_ts, money
from .experiments import ExperimentsAndForms
from .past import PastRetention
from .platform import PlatformReporting
from .vocabulary import AGENTS, COUNTRIES, COUNTRY_BY_CODE, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, NICKNAMES

CONSENT_SCOPES = ["email_marketing", "sms_offers", "push_notifications", "personalization"]


def source_refs(p: dict) -> list[tuple[str, str]]:
    """(system, id) of every source record of a person, in the order consents are captured."""
    refs = [("crm", c) for c in p["crm_ids"]]
    refs += [("loyalty", p["loyalty_id"])] if p["loyalty_id"] else []
    refs += [("ecom", p["web_user_id"])] if p["web_user_id"] else []
    return refs


class World(Activity, PlatformReporting, ExperimentsAndForms, PastRetention):
    def __init__(self, people: int, seed: int, as_of: datetime):
        self.n = people
        self.rng = random.Random(seed)
        self.seed = seed
        self.as_of = as_of
        self.start = as_of - timedelta(days=int(365 * 2.5))
        self.rows: dict[str, list[dict]] = {t: [] for t in TABLES}
        self.person_map: list[tuple[str, str, str]] = []
        self.counters: dict[str, int] = {}
        self.campaign_by_id: dict[str, dict] = {}
        # touches and orders as simulated (no draws), for the platform figures (platform.py)
        self.platform_log: dict[str, list[tuple]] = {"touches": [], "orders": []}
        # planted experiment assignments (experiments.py): (user, experiment) -> (variant, first exposure, converted)
        self.experiment_assignments: dict[tuple[str, str], tuple[str, datetime, bool]] = {}
        # table -> index of its first row appended after the defects of delivery 1 (form submits, experiments.py)
        self.appended_from: dict[str, int] = {}
        # records dated before the retention window (past.py): (table, record id, time)
        self.past_retention: list[tuple[str, str, str]] = []

    def simulate(self) -> list[tuple[str, Callable[[], None]]]:
        """The steps that build delivery 1 (name, function); defects come after them."""
        return [("people", self.make_people), ("crm, loyalty and ecom records", self.make_systems),
                ("consents", self.make_consents), ("interactions and support", self.make_interactions_support),
                ("catalogue and campaigns", self.make_catalogue_and_campaigns),
                ("orders, payments and events", self.make_orders_and_events),
                ("planted experiment assignments", lambda: self.plant_experiments(0, "1"))]

    # ---------------------------------------------------------------- helpers
    def next_id(self, prefix: str, width: int) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]:0{width}d}"

    def rand_dt(self, lo: datetime, hi: datetime) -> datetime:
        if hi <= lo:
            return lo
        return lo + timedelta(seconds=self.rng.randint(0, int((hi - lo).total_seconds())))


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
             "email": email, "alt_email": alt_email, "dob": dob, "lang": cinfo[4], "currency": cinfo[5],
             "household": home["hid"] if home else f"H{len(households) + 1:07d}"}
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
            hh = {"hid": p["household"], "country": country, "last": last, "addr": (region, city, postal_prefix),
                  "postal": postal,
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
        for system, sid in source_refs(p):
            for scope in CONSENT_SCOPES:
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

    def add_nps_response(self, cid: str, lo: datetime, hi: datetime | None = None) -> None:
        """A response between lo and hi (default: an hour before now)."""
        r = self.rng
        self.rows["nps_responses"].append({
            "response_id": self.next_id("NPS-", 7), "customer_id": cid,
            "responded_at": fmt_ts(self.rand_dt(lo, hi or self.as_of - timedelta(hours=1)), r),
            "nps_score": str(min(10, max(0, int(r.gauss(7.5, 2.2)))))})
