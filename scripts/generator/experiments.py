"""Planted experiment truths and form submissions: two post-processing steps with their own RNG streams.

Experiments (``plant_experiments``). The world's sessions draw an ``experiment_exposure`` event now and then
(activity.py); this step, run after the orders and events are made and before the defects, re-draws only the
``experiment_id`` and ``variant`` of those events, so every other column and row of the delivery stays as it is.
Three experiments (EXPERIMENTS), each exposure event drawn into one of them with equal probability:

* ``EXP-checkout-v2`` (lift): the treatment raises the conversion rate by PLANTED_LIFT_REL (relative, about
  +30 %) and so the revenue per user. No order changes: a user's variant is drawn with a probability that
  depends on whether the user converts (a completed order within var experiment_conversion_window_days of
  dbt_project.yml after their first exposure to the experiment, the mart's definition): converters go to the
  treatment with probability 1/2 + d, the others with 1/2 - d * c / (1 - c), where c is the experiment's
  conversion share and d = L / (2 (2 + L)). The split stays 50/50 in expectation and the conversion rates
  are c (1 + 2d) against c (1 - 2d): a ratio of 1 + L.
* ``EXP-hero-banner`` (null): 50/50, independent of everything; no effect.
* ``EXP-search-ranking`` (srm): meant to be 50/50, assigned 60/40 (treatment/control); no effect on conversion,
  but a sample-ratio mismatch that the SRM chi-square test detects.

Assignment is sticky: a user keeps the variant of their first exposure (by time) in every later exposure to
the same experiment (the unit is the true person of the world, an anonymous visitor by their device).
Expected decisions of mart_experiment_results at 100,000 people: significant (treatment better), not
significant, invalid_srm; the sample (2,000 people, about 100 users per variant) is too small to detect
the lift or the SRM. ``experiment_truth`` is the ground truth (``_truth/experiments.csv``): the planted
effect, the expected decision and the generator's own count of users and conversions per variant (true
persons, before identity resolution and defects, so close to but not always equal to the mart's).

Form submissions (``add_form_submits``): run after the defects, a share (FORM_SUBMIT_RATE) of the clean
``form_start`` events gets a ``form_submit`` in the same session FORM_SUBMIT_DELAY seconds later (same
device, user, platform, device type and page; no utm, no referrer), appended with new event ids. Their
rows are written at random places among the others (writing.row_order), which keep their order.

Streams: ``random.Random(f"{seed}-experiments-{stream}")`` and ``random.Random(f"{seed}-form-submits-{stream}")``
(stream "1" for delivery 1, "delivery-2" for the new rows of delivery 2).
"""
from __future__ import annotations

import bisect
import collections
import random
from datetime import datetime, timedelta
from pathlib import Path

from .contract import TABLES, fmt_ts, parse_iso

PROJECT_DIR = Path(__file__).resolve().parents[2]

PLANTED_LIFT_REL = 0.3
SRM_TREATMENT_SHARE = 0.6
EXPERIMENTS = [
    {"experiment_id": "EXP-checkout-v2", "kind": "lift", "treatment_share": 0.5,
     "conversion_lift_rel": PLANTED_LIFT_REL, "expected_decision": "significant"},
    {"experiment_id": "EXP-hero-banner", "kind": "null", "treatment_share": 0.5,
     "conversion_lift_rel": 0.0, "expected_decision": "not_significant"},
    {"experiment_id": "EXP-search-ranking", "kind": "srm", "treatment_share": SRM_TREATMENT_SHARE,
     "conversion_lift_rel": 0.0, "expected_decision": "invalid_srm"},
]
TRUTH_COLUMNS = ["experiment_id", "kind", "planted_treatment_share", "planted_conversion_lift_rel",
                 "expected_decision", "users_control", "users_treatment", "conversions_control",
                 "conversions_treatment", "conversion_rate_control", "conversion_rate_treatment"]

FORM_SUBMIT_RATE = 0.45
FORM_SUBMIT_DELAY = (20, 600)


def conversion_window() -> timedelta:
    """var experiment_conversion_window_days of dbt_project.yml (declared there once; read, not repeated)."""
    import yaml

    doc = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return timedelta(days=int(doc["vars"]["experiment_conversion_window_days"]))


class ExperimentsAndForms:
    """Mixin of ``world.World``: planted experiment assignments and form submissions."""

    def user_keys(self) -> tuple[dict[str, str], dict[str, str]]:
        """(web_user_id -> person, device -> person) from the person map."""
        by_web, by_device = {}, {}
        for system, sid, pid in self.person_map:
            if system == "ecom":
                by_web[sid] = pid
            elif system == "anonymous":
                by_device[sid] = pid
        return by_web, by_device

    def completed_orders(self) -> dict[str, list[datetime]]:
        """person -> sorted times of their completed orders (the order log of platform.py)."""
        out: dict[str, list[datetime]] = collections.defaultdict(list)
        for pid, at, row, _total, _currency in self.platform_log["orders"]:
            if row["status"] == "completed":
                out[pid].append(at)
        for times in out.values():
            times.sort()
        return out

    def plant_experiments(self, first: int, stream: str) -> None:
        """Re-draw experiment_id and variant of the exposure events from row ``first`` on."""
        prng = random.Random(f"{self.seed}-experiments-{stream}")
        window = conversion_window()
        by_web, by_device = self.user_keys()
        orders = self.completed_orders()
        assigned = self.experiment_assignments  # (user, experiment) -> (variant, first exposure, converted)
        ids = [e["experiment_id"] for e in EXPERIMENTS]
        groups: dict[tuple[str, str], list[int]] = {}
        rows = self.rows["events"]
        for idx in range(first, len(rows)):
            ev = rows[idx]
            if ev["event_type"] != "experiment_exposure":
                continue
            ev["experiment_id"] = prng.choice(ids)
            user = by_web.get(ev["web_user_id"]) or by_device.get(ev["anonymous_id"]) or ev["anonymous_id"]
            groups.setdefault((user, ev["experiment_id"]), []).append(idx)
        firsts = {key: min(parse_iso(rows[i]["event_at"]) for i in idxs) for key, idxs in groups.items()}

        def converts(user: str, at: datetime) -> bool:
            times = orders.get(user, [])
            k = bisect.bisect_left(times, at)
            return k < len(times) and times[k] < at + window

        outcome = {key: converts(key[0], at) for key, at in firsts.items() if key not in assigned}
        lift = EXPERIMENTS[0]
        share = [v for (_, exp), v in outcome.items() if exp == lift["experiment_id"]]
        c = sum(share) / len(share) if share else 0.0
        d = lift["conversion_lift_rel"] / (2 * (2 + lift["conversion_lift_rel"]))
        p_converter = 0.5 + d
        p_other = 0.5 - d * c / (1 - c) if 0 < c < 1 else 0.5
        spec = {e["experiment_id"]: e for e in EXPERIMENTS}
        for key, idxs in groups.items():
            if key not in assigned:
                e = spec[key[1]]
                if e["kind"] == "lift":
                    p = p_converter if outcome[key] else p_other
                else:
                    p = e["treatment_share"]
                variant = "treatment" if prng.random() < p else "control"
                assigned[key] = (variant, firsts[key], outcome[key])
            for i in idxs:
                rows[i]["variant"] = assigned[key][0]

    def experiment_truth(self) -> list[list[str]]:
        """Rows of _truth/experiments.csv (TRUTH_COLUMNS)."""
        counts = collections.Counter()
        for (_, exp), (variant, _, converted) in self.experiment_assignments.items():
            counts[(exp, variant, "users")] += 1
            counts[(exp, variant, "conversions")] += converted
        out = []
        for e in EXPERIMENTS:
            x = e["experiment_id"]
            n = {v: counts[(x, v, "users")] for v in ("control", "treatment")}
            k = {v: counts[(x, v, "conversions")] for v in ("control", "treatment")}
            rate = {v: f"{k[v] / n[v]:.6f}" if n[v] else "" for v in n}
            out.append([x, e["kind"], f"{e['treatment_share']:g}", f"{e['conversion_lift_rel']:g}",
                        e["expected_decision"], str(n["control"]), str(n["treatment"]), str(k["control"]),
                        str(k["treatment"]), rate["control"], rate["treatment"]])
        return out

    def add_form_submits(self, first: int, stream: str, skip: set[str]) -> None:
        """A form_submit after a share of the form_start events from row ``first`` on (not those in ``skip``,
        the event ids of defect rows), appended with new event ids."""
        prng = random.Random(f"{self.seed}-form-submits-{stream}")
        rows = self.rows["events"]
        end = len(rows)
        for idx in range(first, end):
            ev = rows[idx]
            if ev["event_type"] != "form_start" or ev["event_id"] in skip:
                continue
            if prng.random() >= FORM_SUBMIT_RATE:
                continue
            at = parse_iso(ev["event_at"]) + timedelta(seconds=prng.randint(*FORM_SUBMIT_DELAY))
            if at >= self.as_of:
                continue
            sub = {c: "" for c in TABLES["events"]}
            sub.update({"event_id": self.next_id("EVT-", 9), "event_at": fmt_ts(at), "event_type": "form_submit",
                        "platform": ev["platform"], "anonymous_id": ev["anonymous_id"],
                        "web_user_id": ev["web_user_id"], "device_type": ev["device_type"],
                        "page_url": ev["page_url"].split("?")[0]})
            rows.append(sub)

