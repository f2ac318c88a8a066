"""scripts/generate_raw.py: deterministic, in contract, realistic, with controlled defects."""
from __future__ import annotations

import collections
import csv
import filecmp
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_raw.py"


def generate(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), "--quiet", *args],
                          capture_output=True, text=True)


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_committed_sample_seeds_are_exactly_what_the_generator_writes(tmp_path):
    out, truth = tmp_path / "sample", tmp_path / "truth"
    assert generate(out, "--people", "2000", "--truth-out", str(truth)).returncode == 0
    for f in sorted((ROOT / "seeds" / "sample").glob("*.csv")):
        assert filecmp.cmp(f, out / f.name, shallow=False), f"{f.name} differs: run `make sample-data`"
    for f in ("person_map.csv", "injected_defects.csv", "experiments.csv", "households.csv", "latest_consents.csv",
              "past_retention.csv", "manifest.json"):
        assert filecmp.cmp(ROOT / "tests" / "fixtures" / "sample_truth" / f, truth / f, shallow=False), f


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert generate(tmp_path / name, "--people", "120", "--seed", seed).returncode == 0
    same = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert not same.diff_files and not same.left_only and not same.right_only
    assert filecmp.dircmp(tmp_path / "a", tmp_path / "c").diff_files


def test_files_follow_the_contract(import_script, small_delivery):
    contract = import_script("load_raw").load_contract()
    assert len(contract) == 14
    for table, columns in contract.items():
        with open(small_delivery / f"{table}.csv", newline="") as fh:
            assert next(csv.reader(fh)) == list(columns), table


def test_people_live_in_one_to_three_systems_with_realistic_differences():
    truth = read(ROOT / "tests" / "fixtures" / "sample_truth" / "person_map.csv")
    systems = collections.defaultdict(set)
    for r in truth:
        if r["source_system"] != "anonymous":
            systems[r["person_id"]].add(r["source_system"])
    sizes = collections.Counter(len(s) for s in systems.values())
    assert set(sizes) == {1, 2, 3} and sizes[2] > 100 and sizes[3] > 50
    crm = read(ROOT / "seeds" / "sample" / "crm_customers.csv")
    emails = [r["email"] for r in crm if r["email"]]
    assert sum(e != e.strip() for e in emails) > 10          # stray whitespace
    assert sum(e.strip() != e.strip().lower() for e in emails) > 50  # mixed case
    phones = {r["phone"][:2] for r in crm if r["phone"]}
    assert {"+1", "(2"} & phones or len(phones) > 5           # many phone formats
    orders = read(ROOT / "seeds" / "sample" / "orders.csv")
    years = {r["ordered_at"][:4] for r in orders}
    assert len(years & {"2024", "2025", "2026"}) == 3          # more than a year of orders


def test_defects_are_a_small_controlled_share():
    defects = read(ROOT / "tests" / "fixtures" / "sample_truth" / "injected_defects.csv")
    manifest_rows = {"crm_customers": 1546}
    per_table = collections.Counter(d["source_table"] for d in defects if d["rule_id"] != "DUPLICATE")
    per_rule = collections.Counter(d["rule_id"] for d in defects if d["rule_id"] != "DUPLICATE")
    assert len(per_rule) >= 70 and min(per_rule.values()) >= 1
    assert 0.01 <= per_table["crm_customers"] / manifest_rows["crm_customers"] <= 0.03


@pytest.mark.parametrize("args, message", [
    (["--people", "abc"], "invalid int value"),
    (["--people", "3"], "at least 10"),
    (["--as-of", "tomorrow"], "ISO 8601"),
])
def test_bad_arguments_get_a_usage_message(tmp_path, args, message):
    proc = generate(tmp_path / "x", *args)
    assert proc.returncode == 2
    assert "usage:" in proc.stderr and message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_delivery_2_is_a_later_cumulative_extract_of_the_same_world(tmp_path):
    for name in ("d1", "d2", "d2_again"):
        args = ["--people", "120", "--seed", "7"] + ([] if name == "d1" else ["--delivery", "2"])
        assert generate(tmp_path / name, *args).returncode == 0
    same = filecmp.dircmp(tmp_path / "d2", tmp_path / "d2_again")
    assert not same.diff_files and not same.left_only and not same.right_only
    assert filecmp.cmp(tmp_path / "d2" / "_truth" / "changes.csv", tmp_path / "d2_again" / "_truth" / "changes.csv",
                       shallow=False)
    truth = tmp_path / "d2" / "_truth"
    manifest = (truth / "manifest.json").read_text()
    assert '"as_of": "2026-07-30T00:00:00Z"' in manifest and '"previous_as_of": "2026-06-30T00:00:00Z"' in manifest
    changes = read(truth / "changes.csv")
    kinds = collections.Counter((c["source_table"], c["change"]) for c in changes)
    assert kinds[("crm_customers", "updated")] and kinds[("crm_customers", "new")] and kinds[("orders", "new")]
    changed = {(c["source_table"], c["record_id"]) for c in changes}
    # delivery 1 rows come back byte for byte unless their record changed
    for table, key in (("crm_customers", "customer_id"), ("loyalty_members", "loyalty_id"), ("events", "event_id")):
        lines_1 = (tmp_path / "d1" / f"{table}.csv").read_text().splitlines()
        lines_2 = set((tmp_path / "d2" / f"{table}.csv").read_text().splitlines())
        header = next(csv.reader([lines_1[0]]))
        for line in lines_1[1:]:
            row = dict(zip(header, next(csv.reader([line]))))
            assert line in lines_2 or (table, row[key]) in changed, (table, row[key])
    # the truth covers the new records too
    people = {r["source_id"] for r in read(truth / "person_map.csv")}
    assert {c["record_id"] for c in changes if c["source_table"] == "crm_customers"} <= people


def test_unwritable_out_is_a_one_line_error(tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    for out in (a_file, a_file / "below"):
        proc = generate(out, "--people", "20", "--truth-out", str(tmp_path / "truth"))
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("generate_raw.py: error: --out: ") and proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr
    assert not (tmp_path / "truth").exists(), "nothing generated or written before the check"


def test_ground_truth_never_lands_in_the_seed_paths(tmp_path):
    # the default --out seeds/sample would put the truth in seeds/sample/_truth, where dbt loads seeds
    proc = subprocess.run([sys.executable, str(SCRIPT), "--people", "20", "--quiet"], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 2 and "inside the seed path" in proc.stderr and "--truth-out" in proc.stderr
    proc = generate(tmp_path / "out", "--people", "20", "--truth-out", str(ROOT / "seeds" / "truth"))
    assert proc.returncode == 2 and "inside the seed path" in proc.stderr
    assert not (ROOT / "seeds" / "sample" / "_truth").exists() and not (ROOT / "seeds" / "truth").exists()
    # outside the seed paths the truth defaults to OUT/_truth
    assert generate(tmp_path / "out", "--people", "20").returncode == 0
    assert (tmp_path / "out" / "_truth" / "person_map.csv").is_file()


def test_every_delivery_carries_its_manifest(tmp_path):
    for name, extra in (("d1", []), ("d2", ["--delivery", "2"])):
        out = tmp_path / name
        assert generate(out, "--people", "60", *extra).returncode == 0
        with open(out / "_manifest.csv", newline="") as fh:
            entries = list(csv.DictReader(fh))
        assert sorted(e["file"] for e in entries) == sorted(p.name for p in out.glob("*.csv") if p.name[0] != "_")
        assert len(entries) == 14
        for e in entries:
            data = (out / e["file"]).read_bytes()
            assert e["sha256"] == hashlib.sha256(data).hexdigest(), e["file"]
            assert int(e["rows"]) == len(read(out / e["file"])), e["file"]


def test_dbt_never_loads_underscore_files_of_the_seeds():
    patterns = (ROOT / ".dbtignore").read_text().splitlines()
    assert "seeds/**/_*.csv" in patterns and "seeds/**/_*/" in patterns


@pytest.fixture(scope="module")
def delivery_400(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "people_400"
    assert generate(out, "--people", "400", "--seed", "3").returncode == 0
    return out


def test_planted_experiment_truths_are_written_and_the_exposures_follow_them(delivery_400):
    truth = {r["experiment_id"]: r for r in read(delivery_400 / "_truth" / "experiments.csv")}
    assert {x: (r["kind"], r["expected_decision"]) for x, r in truth.items()} == {
        "EXP-checkout-v2": ("lift", "significant"), "EXP-hero-banner": ("null", "not_significant"),
        "EXP-search-ranking": ("srm", "invalid_srm")}
    assert float(truth["EXP-checkout-v2"]["planted_conversion_lift_rel"]) > 0
    assert float(truth["EXP-search-ranking"]["planted_treatment_share"]) != 0.5
    events = read(delivery_400 / "events.csv")
    person = {(r["source_system"], r["source_id"]): r["person_id"] for r in read(delivery_400 / "_truth" /
                                                                                  "person_map.csv")}
    exposures = [e for e in events if e["event_type"] == "experiment_exposure"]
    assert exposures and {e["experiment_id"] for e in exposures} <= set(truth)
    assert {e["variant"] for e in exposures} == {"control", "treatment"}
    assert all(not e["experiment_id"] and not e["variant"] for e in events if e["event_type"] != "experiment_exposure")
    # sticky assignment: a person sees one variant per experiment (rows with a defect on their ids aside)
    variants = collections.defaultdict(set)
    for e in exposures:
        who = person.get(("ecom", e["web_user_id"])) or person.get(("anonymous", e["anonymous_id"]))
        if who:
            variants[(who, e["experiment_id"])].add(e["variant"])
    assert variants and all(len(v) == 1 for v in variants.values())
    users = sum(int(r["users_control"]) + int(r["users_treatment"]) for r in truth.values())
    unmapped = sum(1 for e in exposures if not person.get(("ecom", e["web_user_id"]))
                   and not person.get(("anonymous", e["anonymous_id"])))  # ids blanked by a defect (EVT-05)
    assert len(variants) <= users <= len(variants) + unmapped


def test_form_submits_follow_a_form_start_in_the_same_session(delivery_400):
    from datetime import datetime, timedelta

    events = read(delivery_400 / "events.csv")
    defects = {r["record_id"] for r in read(delivery_400 / "_truth" / "injected_defects.csv")
               if r["source_table"] == "events"}
    ids = [e["event_id"] for e in events if e["event_id"] not in defects]
    assert len(ids) == len(set(ids)), "event ids are unique"
    at = lambda e: datetime.strptime(e["event_at"], "%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    starts = collections.defaultdict(list)
    for e in events:
        if e["event_type"] == "form_start" and e["event_id"] not in defects:
            starts[(e["anonymous_id"], e["web_user_id"], e["platform"], e["device_type"])].append(e)
    submits = [e for e in events if e["event_type"] == "form_submit"]
    assert submits and not any(e["event_id"] in defects for e in submits)
    for s in submits:
        assert s["platform"] == "web" and s["anonymous_id"] and s["device_type"], s
        assert not (s["utm_source"] or s["utm_campaign"] or s["referrer"] or s["experiment_id"]), s
        before = [f for f in starts[(s["anonymous_id"], s["web_user_id"], s["platform"], s["device_type"])]
                  if timedelta(seconds=20) <= at(s) - at(f) <= timedelta(seconds=600)
                  and f["page_url"].split("?")[0] == s["page_url"]]
        assert before, s
    share = len(submits) / sum(len(v) for v in starts.values())
    assert 0.25 < share < 0.65, share
