"""A delivery with unknown codes and an empty table never breaks or fools a run (issue 9, in part).

One generated delivery (50 people) is broken by hand, then loaded and built through staging, bronze and dq with
their tests, on DuckDB and on Postgres:

* an unknown CRM customer segment (``Platinum``), an unknown gender (``Q``), formula text as preferred language and
  an unknown event device type: rejected by CUS-07, CUS-08, CUS-09 and EVT-07 with the value, not a failed bronze
  test that skips half the build;
* ``support_tickets.csv`` with its header only: the build goes on, DEL-01 and GEN-01 fail for that table (their
  tests warn),
  every count of the table is 0 (not NULL) and the row accounting still balances for all 14 tables.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from delivery_util import AS_OF, isolated_warehouse

pytestmark = pytest.mark.slow

SELECT = ["--select", "path:models/staging", "path:models/bronze", "path:models/dq", "path:seeds/reference",
          "--indirect-selection", "cautious", "--exclude", "resource_type:unit_test",
          # Elementary's monitors need its own models, which this selection leaves out (tests/pytest/test_elementary.py)
          "tag:pkg_elementary"]



def _rewrite(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def break_delivery(source: Path, target: Path) -> dict[str, str]:
    """Copy the delivery and break it; returns, per rule, the id of the one record broken for it."""
    shutil.copytree(source, target)
    (target / "_manifest.csv").unlink(missing_ok=True)  # the files are changed on purpose
    with open(source / "_truth" / "injected_defects.csv", newline="", encoding="utf-8") as fh:
        defective = {(d["source_table"], d["record_id"]) for d in csv.DictReader(fh)}
    broken: dict[str, str] = {}

    def customers(rows):
        # clean, distinct customers: no injected defect, so the only rule they break is the one broken here
        clean = [r for r in rows if ("crm_customers", r["customer_id"]) not in defective
                 and r["customer_segment"] and r["gender"] and r["preferred_language"]]
        clean[0]["customer_segment"] = "Platinum"
        clean[1]["gender"] = "q"
        clean[2]["preferred_language"] = '=HYPERLINK("http://x")'
        broken.update({"CUS-07": clean[0]["customer_id"], "CUS-08": clean[1]["customer_id"],
                       "CUS-09": clean[2]["customer_id"]})

    def events(rows):
        clean = [r for r in rows if ("events", r["event_id"]) not in defective and r["device_type"]]
        clean[0]["device_type"] = "smartwatch"
        broken["EVT-07"] = clean[0]["event_id"]

    _rewrite(target / "crm_customers.csv", customers)
    _rewrite(target / "events.csv", events)
    tickets = target / "support_tickets.csv"
    header = tickets.read_text(encoding="utf-8").splitlines()[0]
    tickets.write_text(header + "\n", encoding="utf-8")
    return broken


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def broken(request, small_delivery, tmp_path_factory):
    work = tmp_path_factory.mktemp(f"bad_{request.param}")
    with isolated_warehouse(request.param, work, "bad") as wh:
        bad_ids = break_delivery(small_delivery, work / "delivery")
        wh.load(work / "delivery")
        build = wh.dbt("build", *SELECT, "--vars", f'{{load_sample_data: false, as_of: "{AS_OF}"}}')
        yield build, wh.query, wh.schema("dq"), bad_ids


def test_the_build_passes_with_only_the_empty_table_warned(broken):
    build, _, _, _ = broken
    assert build.returncode == 0, build.stdout[-4000:]
    assert "ERROR=0" in build.stdout and "SKIP=0" in build.stdout, build.stdout[-2000:]
    warned = [line for line in build.stdout.splitlines() if " WARN " in line and "dda_" in line]
    assert any("dda_del_01_every_table_delivered" in line for line in warned), warned


def test_unknown_codes_are_rejected_with_their_value(broken):
    _, query, dq, bad_ids = broken
    rows = query(f"select rule_id, record_id, detail from {dq}.dq_rejected_rows "
                 f"where rule_id in ('CUS-07', 'CUS-08', 'CUS-09', 'EVT-07')")
    assert sorted(rows) == [
        ("CUS-07", bad_ids["CUS-07"], "customer_segment=Platinum is not an accepted value"),
        ("CUS-08", bad_ids["CUS-08"], "gender=Q is not an accepted value"),
        ("CUS-09", bad_ids["CUS-09"], 'preferred_language==hyperlink("http://x") is not an ISO 639-1 code'),
        ("EVT-07", bad_ids["EVT-07"], "device_type=smartwatch is not an accepted value"),
    ]


def test_an_empty_table_is_reported_and_still_balances(broken):
    _, query, dq, _ = broken
    statuses = {rule: dict(query(f"select source_table, status from {dq}.dq_rule_summary where rule_id = '{rule}'"))
                for rule in ("DEL-01", "GEN-01")}
    assert all(len(by_table) == 14 for by_table in statuses.values())
    assert {t for t, status in statuses["DEL-01"].items() if status == "fail"} == {"support_tickets"}
    assert statuses["GEN-01"]["support_tickets"] == "fail"
    recon = {r[0]: r[1:] for r in query(f"select source_table, raw_rows, accepted_rows, rejected_rows, is_balanced "
                                        f"from {dq}.dq_row_reconciliation")}
    assert len(recon) == 14 and all(r[3] is True for r in recon.values()), recon
    assert recon["support_tickets"][:3] == (0, 0, 0)
    counts = query(f"select count(*) from {dq}.dq_rule_summary where checked_rows is null or failed_rows is null "
                   f"or failed_pct is null or status is null")
    assert counts == [(0,)]
