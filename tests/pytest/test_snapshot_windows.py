"""SCD2 validity windows that close: two deliveries through the snapshots (DuckDB).

The sample build takes one snapshot, so every key there has one open version and the singular test
``snapshot_validity_windows_contiguous`` cannot see a window close. Here delivery 1 and its cumulative
extract 30 days later (scripts/generate_raw.py --delivery 2) are loaded one after the other into one warehouse,
each built up to ``snp_customer_states`` and ``snp_campaign_status`` at its own as_of. Campaign statuses move
on with the calendar (Draft -> Active -> Completed, generator later.py) and lifecycle stages age, so both
snapshots then hold keys with a closed version followed by an open one, the closed window ending exactly at
delivery 2's as_of. The singular test passes on that history and fails once one closed window is made to
overlap the next version.
"""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest

from delivery_util import AS_OF, isolated_warehouse
from warehouse_util import ROOT

pytestmark = pytest.mark.slow

PEOPLE = 200
AS_OF_2 = "2026-07-30T00:00:00Z"
SNAPSHOTS = {"snp_customer_states": "customer360_id", "snp_campaign_status": "campaign_id"}
BUILD = ["--select", "+snp_customer_states", "+snp_campaign_status",
         "--exclude", "resource_type:test", "resource_type:unit_test", "tag:pkg_elementary"]
TEST = ["test", "--select", "snapshot_validity_windows_contiguous"]


def as_of_vars(as_of: str) -> list[str]:
    return ["--vars", f'{{load_sample_data: false, as_of: "{as_of}"}}']


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    work = tmp_path_factory.mktemp("snapshot_windows")
    with isolated_warehouse("duckdb", work, "snapwin") as wh:
        for delivery, as_of in ((1, AS_OF), (2, AS_OF_2)):
            out = work / f"d{delivery}"
            subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_raw.py"), "--people", str(PEOPLE),
                            "--delivery", str(delivery), "--out", str(out), "--quiet"], check=True)
            wh.load(out)
            proc = wh.dbt("build", *BUILD, *as_of_vars(as_of))
            assert proc.returncode == 0, proc.stdout[-5000:]
        yield wh


def ts(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def test_both_snapshots_hold_closed_windows(wh):
    second = datetime.fromisoformat(AS_OF_2.replace("Z", ""))
    for snapshot, key in SNAPSHOTS.items():
        rows = wh.query(f"select {key}, dbt_valid_from, dbt_valid_to from {wh.schema('snapshots')}.{snapshot}")
        by_key: dict[str, list[tuple]] = {}
        for k, valid_from, valid_to in rows:
            by_key.setdefault(k, []).append((ts(valid_from), valid_to and ts(valid_to)))
        multi = {k: sorted(v) for k, v in by_key.items() if len(v) > 1}
        assert len(multi) >= 3, f"{snapshot}: {len(multi)} keys with more than one version"
        # a key changed by delivery 2: its first version closed at delivery 2's as_of, the second open since then
        closed = [v for v in multi.values() if v[0][1] == second and v[1] == (second, None)]
        assert closed, f"{snapshot}: no window closed at {AS_OF_2}: {list(multi.values())[:3]}"


def test_contiguity_test_passes_on_the_history_and_fails_on_an_overlap(wh):
    proc = wh.dbt(*TEST, *as_of_vars(AS_OF_2))
    assert proc.returncode == 0, proc.stdout[-3000:]
    table = f"{wh.schema('snapshots')}.snp_campaign_status"
    # one closed version of a changed campaign made to end a day after its successor started: an overlap
    (scd_id,) = wh.query(f"select min(closed.dbt_scd_id) from {table} as closed inner join {table} as successor "
                         f"on closed.campaign_id = successor.campaign_id "
                         f"and successor.dbt_valid_from = closed.dbt_valid_to")[0]
    wh.query(f"update {table} set dbt_valid_to = dbt_valid_to + interval 1 day where dbt_scd_id = '{scd_id}'")
    proc = wh.dbt(*TEST, *as_of_vars(AS_OF_2))
    assert proc.returncode != 0 and "FAIL 1 snapshot_validity_windows_contiguous" in proc.stdout, proc.stdout[-3000:]
