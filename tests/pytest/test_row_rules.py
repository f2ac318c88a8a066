"""Every coded column and every column's length limit is a row rule, judged in staging (issue 9, point 2).

Generic over the source contract, not a list kept here: every column of ``models/staging/*/_*__sources.yml`` declares
its kind (``meta.kind``, whose limit is var ``text_length_limits``) and, for a closed set of codes, its domain of seed
``accepted_values`` (``meta.accepted_values``, whose ``rule_id`` names the rule). One generated delivery (50 people) is
broken once per such column, each time in a different clean record: an unknown code in one, a value one character
over its limit in another. Loaded and built (staging, bronze, dq and their tests) on DuckDB and on Postgres, the build
must pass with no error, and each broken record must be rejected exactly once under the rule of its column, the
length rule reporting the column and its length, never the value.
"""
from __future__ import annotations

import csv
import glob
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_ROOT
from delivery_util import AS_OF, isolated_warehouse
from test_bad_deliveries import SELECT, _rewrite

pytestmark = pytest.mark.slow

# the key of each raw table, as staging builds _record_id from it
RECORD_KEY = {"crm_customers": ["customer_id"], "interactions": ["interaction_id"], "campaigns": ["campaign_id"],
              "campaign_performance": ["performance_id"], "loyalty_members": ["loyalty_id"],
              "ecom_accounts": ["web_user_id"], "products": ["product_id"], "consents": ["consent_id"],
              "orders": ["order_id"], "order_items": ["order_id", "line_number"], "payments": ["payment_id"],
              "events": ["event_id"], "support_tickets": ["ticket_id"], "nps_responses": ["response_id"]}
UNKNOWN_CODE = "zz-unknown"


def source_columns() -> dict[str, list[tuple[str, dict]]]:
    """Per raw table, its columns with their meta, from the source YAMLs."""
    tables: dict[str, list[tuple[str, dict]]] = {}
    for path in sorted(glob.glob(str(PROJECT_ROOT / "models/staging/*/_*__sources.yml"))):
        for source in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                tables[table["name"]] = [(c["name"], c.get("meta") or {}) for c in table.get("columns", [])]
    return tables


def project_vars() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


def rules_of_domains() -> dict[str, str]:
    with open(PROJECT_ROOT / "seeds/reference/accepted_values.csv", newline="", encoding="utf-8") as fh:
        return {r["domain"]: r["rule_id"] for r in csv.DictReader(fh) if r["rule_id"]}


def length_rules() -> dict[str, str]:
    """The length rule of each table: the one rule whose staging flag calls dq_length_problem."""
    rules = {}
    for path in glob.glob(str(PROJECT_ROOT / "models/staging/*/stg_*.sql")):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if "dq_length_problem(" in line:
                table = line.split("dq_length_problem('")[1].split("'")[0]
                rules[table] = line.rsplit(" as dq_", 1)[1].strip().rstrip(",").upper().replace("_", "-", 1)
    return rules


def plan_cases() -> list[dict]:
    """One case per coded column (unknown code) and per column (oversized value)."""
    limits, domains, by_length = project_vars()["text_length_limits"], rules_of_domains(), length_rules()
    cases = []
    for table, columns in source_columns().items():
        for column, meta in columns:
            assert meta.get("kind") in limits, f"{table}.{column}: meta.kind {meta.get('kind')!r} has no length limit"
            if meta.get("accepted_values"):
                cases.append({"table": table, "column": column, "kind": "code",
                              "rule_id": domains[meta["accepted_values"]]})
            cases.append({"table": table, "column": column, "kind": "length", "rule_id": by_length[table],
                          "limit": limits[meta["kind"]], "column_kind": meta["kind"]})
    return cases


def break_delivery(source: Path, target: Path, cases: list[dict]) -> list[dict]:
    """Copy the delivery and apply every case to its own clean record; returns the cases with their record id."""
    shutil.copytree(source, target)
    (target / "_manifest.csv").unlink(missing_ok=True)  # the files are changed on purpose
    with open(source / "_truth" / "injected_defects.csv", newline="", encoding="utf-8") as fh:
        defective = {(d["source_table"], d["record_id"]) for d in csv.DictReader(fh)}
    for table in {c["table"] for c in cases}:
        key = RECORD_KEY[table]

        def change(rows, table=table, key=key):
            record_id = lambda r: ":".join(r[k] for k in key)  # noqa: E731
            ids = [record_id(r) for r in rows]
            clean = [r for r in rows if (table, record_id(r)) not in defective and ids.count(record_id(r)) == 1]
            for case in (c for c in cases if c["table"] == table):
                # a code is judged only when given: take a record that has one
                row = next((r for r in clean if r[case["column"]].strip() or case["kind"] == "length"), None)
                assert row is not None, f"{table}: not enough clean records for {case['column']}"
                clean.remove(row)
                value = row[case["column"]]
                if case["kind"] == "code":
                    row[case["column"]] = UNKNOWN_CODE
                else:  # one character over the limit, keeping the value's start (ids stay distinct)
                    row[case["column"]] = (value + "x" * (case["limit"] + 1))[: case["limit"] + 1]
                case["record_id"] = record_id(row).strip()

        _rewrite(target / f"{table}.csv", change)
    return cases


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def broken(request, small_delivery, tmp_path_factory):
    work = tmp_path_factory.mktemp(f"rules_{request.param}")
    with isolated_warehouse(request.param, work, "rules") as wh:
        cases = break_delivery(small_delivery, work / "delivery", plan_cases())
        wh.load(work / "delivery")
        build = wh.dbt("build", *SELECT, "--vars", f'{{load_sample_data: false, as_of: "{AS_OF}"}}')
        rejected = wh.query(f"select source_table, record_id, rule_id, detail from {wh.schema('dq')}.dq_rejected_rows")
        yield build, cases, rejected


def test_the_contract_declares_a_kind_for_every_column():
    cases = plan_cases()
    assert {c["table"] for c in cases} == set(RECORD_KEY)
    # 14 tables' columns, and the coded ones of seed accepted_values that carry a rule
    assert sum(c["kind"] == "length" for c in cases) == sum(len(cols) for cols in source_columns().values())
    assert {c["rule_id"] for c in cases if c["kind"] == "code"} == set(rules_of_domains().values())


def test_the_build_stays_green(broken):
    build, _, _ = broken
    assert build.returncode == 0, build.stdout[-4000:]
    assert "ERROR=0" in build.stdout and "SKIP=0" in build.stdout, build.stdout[-2000:]


def test_every_broken_record_is_rejected_once_under_its_rule(broken):
    _, cases, rejected = broken
    problems = []
    for case in cases:
        hits = [r for r in rejected if r[0] == case["table"] and r[1] == case["record_id"] and r[2] == case["rule_id"]]
        if len(hits) != 1:
            problems.append((case["table"], case["column"], case["kind"], case["rule_id"], len(hits)))
            continue
        detail = hits[0][3]
        if case["kind"] == "length":
            expected = (f"{case['column']} has {case['limit'] + 1} characters, over the limit of {case['limit']} "
                        f"for a {case['column_kind']}")
            if detail != expected:
                problems.append((case["table"], case["column"], detail, expected))
        elif UNKNOWN_CODE not in detail.lower():
            problems.append((case["table"], case["column"], detail))
    assert not problems, problems


def test_no_length_rule_rejects_a_record_not_broken_for_it(broken):
    _, cases, rejected = broken
    by_length = set(length_rules().values())
    broken_ids = {(c["table"], c["record_id"]) for c in cases if c["kind"] == "length"}
    stray = [r for r in rejected if r[2] in by_length and (r[0], r[1]) not in broken_ids]
    assert not stray, stray
