"""Source freshness from the loader's load time (GEN-05; issue 10, point 5).

scripts/load_raw.py appends one row per table to ``<raw>._load_log`` in the transaction that loads a delivery, and
every source table's ``loaded_at_query`` reads its latest load (macros/utils/raw_load_log.sql). A delivery loaded
just now is fresh; a table last loaded 30 hours ago warns (over 24 hours), one loaded 50 hours ago fails (over 48).
Run on DuckDB and Postgres with `dbt source freshness`, Elementary's uploads switched off (they are not what is
tested and cost most of the run).
"""
from __future__ import annotations

import json

import pytest

from delivery_util import isolated_warehouse

pytestmark = pytest.mark.slow

QUIET_ELEMENTARY = ("{disable_dbt_artifacts_autoupload: true, disable_run_results: true, disable_freshness_results: "
                    "true, disable_dbt_invocation_autoupload: true, load_sample_data: false}")


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def loaded(request, small_delivery, tmp_path_factory):
    with isolated_warehouse(request.param, tmp_path_factory.mktemp(f"fresh_{request.param}"), "fresh") as wh:
        wh.load(small_delivery)

        def freshness() -> dict[str, str]:
            proc = wh.dbt("source", "freshness", "--vars", QUIET_ELEMENTARY)
            results = json.loads((wh.work / "target" / "sources.json").read_text())["results"]
            assert results, proc.stdout[-3000:]
            return {r["unique_id"].rsplit(".", 1)[1]: r["status"] for r in results}

        yield wh.query, freshness, wh.schema("raw")


def test_the_loader_logs_every_table_it_loads(loaded):
    execute, _, raw = loaded
    rows = execute(f"select table_name, loaded_rows, loaded_by, manifest_verified from {raw}._load_log")
    assert len(rows) == 14 and all(r[2].startswith("load_raw.py") and r[3] is True for r in rows), rows
    # the logged counts are the loaded tables' counts
    for table, logged, _, _ in rows:
        assert execute(f"select count(*) from {raw}.{table}") == [(logged,)], table


def test_a_fresh_delivery_passes_and_late_tables_warn_or_fail(loaded):
    execute, freshness, raw = loaded
    assert set(freshness().values()) == {"pass"}
    # back-date two tables' last load: events 30 hours ago (warn after 24), orders 50 hours ago (error after 48)
    for table, hours in (("events", 30), ("orders", 50)):
        execute(f"update {raw}._load_log set loaded_at = loaded_at - interval '{hours} hours' "
                f"where table_name = '{table}'")
    statuses = freshness()
    assert statuses.pop("events") == "warn" and statuses.pop("orders") == "error", statuses
    assert set(statuses.values()) == {"pass"} and len(statuses) == 12, statuses
