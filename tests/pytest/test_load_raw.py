"""Tests of scripts/load_raw.py: contract, validation, DuckDB and Postgres loads.

Run: pytest tests/pytest/test_load_raw.py -q
Postgres tests (marked ``postgres``) skip when no server answers on PGHOST/PGPORT
(default 127.0.0.1:5432), unless REQUIRE_POSTGRES=1. They load into schemas named
``pytest_load_raw_<random>_raw`` and drop them afterwards. No dbt run is needed.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "raw_sources.md"

PROFILES_YML = """\
customer_analytics:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{duckdb_path}"
      schema: "{{{{ env_var('DBT_SCHEMA', 'pytest') }}}}"
    pg:
      type: postgres
      host: "{{{{ env_var('PGHOST', '127.0.0.1') }}}}"
      port: "{{{{ env_var('PGPORT', '5432') | as_number }}}}"
      user: "{{{{ env_var('PGUSER', 'postgres') }}}}"
      password: "{{{{ env_var('PGPASSWORD', '') }}}}"
      dbname: "{{{{ env_var('PGDATABASE', 'postgres') }}}}"
      schema: "{{{{ env_var('DBT_SCHEMA', 'pytest') }}}}"
    sf:
      type: snowflake
      account: nowhere
      schema: pytest
"""


# -------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def load_raw(import_script: Callable[[str], ModuleType]) -> ModuleType:
    return import_script("load_raw")


@pytest.fixture(scope="module")
def contract(load_raw: ModuleType) -> dict[str, list[str]]:
    return load_raw.load_contract()


@dataclass
class Run:
    rc: int
    out: str
    err: str


def run_cli(load_raw: ModuleType, *args: str) -> Run:
    """load_raw.main() in-process, capturing its output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = load_raw.main(list(args))
    return Run(rc, out.getvalue(), err.getvalue())


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    return header, rows


def write_csv(path: Path, header: list[str], rows: list[list[str]], quoting: int = csv.QUOTE_MINIMAL) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=quoting)
        writer.writerow(header)
        writer.writerows(rows)


def sort_rows(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda r: tuple((v is None, v or "") for v in r))


def expected_rows(path: Path, columns: list[str]) -> list[tuple]:
    """A file's rows in contract column order, empty value = None."""
    header, rows = read_csv(path)
    pos = [header.index(c) for c in columns]
    return sort_rows([tuple(r[i] if r[i] != "" else None for i in pos) for r in rows])


def drop_column(path: Path, column: str) -> None:
    header, rows = read_csv(path)
    i = header.index(column)
    write_csv(path, header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows])


def add_column(path: Path, column: str, value: str = "x") -> None:
    header, rows = read_csv(path)
    write_csv(path, header + [column], [r + [value] for r in rows])


def rename_column(path: Path, old: str, new: str) -> None:
    header, rows = read_csv(path)
    write_csv(path, [new if c == old else c for c in header], rows)


def spec_contract(markdown: str) -> dict[str, list[str]]:
    """Table -> columns from raw_sources.md: ``## <table>`` headings, then ``| col[, col] | meaning |`` rows."""
    contract: dict[str, list[str]] = {}
    table = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            table = line[3:].split()[0]
            contract[table] = []
        elif table and line.lstrip().startswith("|"):
            first = line.strip().strip("|").split("|")[0].strip()
            if first == "column" or set(first) <= set("-: "):
                continue
            contract[table] += [c.strip().strip("`") for c in first.split(",") if c.strip()]
    return {t: cols for t, cols in contract.items() if cols}


# ------------------------------------------------------------------ warehouse
class Warehouse:
    """One dbt target of the temporary profiles.yml, with helpers to look inside."""

    def __init__(self, target: str, profiles_dir: Path, schema: str, duckdb_path: Path,
                 pg_params: dict[str, Any] | None):
        self.target, self.profiles_dir, self.duckdb_path, self.pg_params = target, profiles_dir, duckdb_path, pg_params
        self.raw_schema = f"{schema}_raw"

    def load(self, load_raw: ModuleType, directory: Path, *extra: str) -> Run:
        return run_cli(load_raw, "--dir", str(directory), "--target", self.target,
                       "--profiles-dir", str(self.profiles_dir), *extra)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.target == "dev":
            import duckdb

            with duckdb.connect(str(self.duckdb_path)) as con:
                return con.execute(sql, list(params)).fetchall()
        import psycopg2

        conn = psycopg2.connect(**self.pg_params)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def rows(self, table: str, columns: list[str]) -> list[tuple]:
        cols = ", ".join(f'"{c}"' for c in columns)
        return sort_rows(self.query(f'select {cols} from "{self.raw_schema}"."{table}"'))

    def columns(self, table: str) -> list[tuple[str, str]]:
        return self.query("select column_name, lower(data_type) from information_schema.columns "
                          "where table_schema = ? and table_name = ? order by ordinal_position",
                          (self.raw_schema, table))

    def snapshot(self, contract: dict[str, list[str]]) -> dict[str, list[tuple]]:
        return {t: self.rows(t, cols) for t, cols in contract.items()}


@pytest.fixture
def profiles_dir(tmp_path: Path) -> Path:
    d = tmp_path / "profiles"
    d.mkdir()
    (d / "profiles.yml").write_text(PROFILES_YML.format(duckdb_path=tmp_path / "warehouse.duckdb"))
    return d


@pytest.fixture(params=["dev", pytest.param("pg", marks=pytest.mark.postgres)])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path, profiles_dir: Path,
              monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    """Each test using it runs on DuckDB and on Postgres (in a throwaway schema)."""
    if request.param == "pg":
        schema, params = request.getfixturevalue("pg_schema_prefix"), request.getfixturevalue("postgres")
    else:
        schema, params = "pytest", None
    monkeypatch.setenv("DBT_SCHEMA", schema)
    return Warehouse(request.param, profiles_dir, schema, tmp_path / "warehouse.duckdb", params)


@pytest.fixture
def delivery(small_delivery: Path, tmp_path: Path) -> Path:
    """A private copy of the generated delivery without its _manifest.csv, free to change."""
    path = Path(shutil.copytree(small_delivery, tmp_path / "delivery"))
    (path / "_manifest.csv").unlink()
    return path


@pytest.fixture
def manifested(small_delivery: Path, tmp_path: Path) -> Path:
    """A private copy of the generated delivery with the _manifest.csv the generator wrote."""
    return Path(shutil.copytree(small_delivery, tmp_path / "manifested"))


@pytest.fixture
def loaded(warehouse: Warehouse, load_raw: ModuleType, delivery: Path,
           contract: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """The warehouse after a good load plus one sentinel row; returns the snapshot."""
    assert warehouse.load(load_raw, delivery, "--quiet").rc == 0
    cols = contract["crm_customers"]
    warehouse.query(f'insert into "{warehouse.raw_schema}".crm_customers ("{cols[0]}") values (?)', ("SENTINEL",))
    return warehouse.snapshot(contract)


# ------------------------------------------------------------------- contract
def test_contract_from_yaml_equals_spec(contract: dict[str, list[str]]) -> None:
    if not SPEC.is_file():
        pytest.skip(f"contract document {SPEC} not present")
    spec = spec_contract(SPEC.read_text(encoding="utf-8"))
    assert len(spec) == 14
    assert sorted(contract) == sorted(spec)
    for table, columns in spec.items():
        assert contract[table] == columns, table


def test_generator_writes_the_contract(small_delivery: Path, contract: dict[str, list[str]]) -> None:
    for table, columns in contract.items():
        assert read_csv(small_delivery / f"{table}.csv")[0] == columns


# --------------------------------------------------------------------- target
# Reading profiles.yml is scripts/connections.py's job: tests/pytest/test_connections.py.
def test_loader_reads_targets_through_connections(load_raw: ModuleType) -> None:
    assert load_raw.resolve_target.__module__ == "connections" and load_raw.ConfigError.__module__ == "connections"


def test_unknown_target_fails_fast(load_raw: ModuleType, delivery: Path, profiles_dir: Path) -> None:
    run = run_cli(load_raw, "--dir", str(delivery), "--target", "nope", "--profiles-dir", str(profiles_dir))
    assert run.rc == 2
    assert "target 'nope' not found" in run.err
    assert "dev, pg, sf" in run.err
    assert "Traceback" not in run.err


def test_unsupported_target_type(load_raw: ModuleType, delivery: Path, profiles_dir: Path) -> None:
    run = run_cli(load_raw, "--dir", str(delivery), "--target", "sf", "--profiles-dir", str(profiles_dir))
    assert run.rc == 2
    assert "target 'sf' has type 'snowflake'" in run.err and "duckdb and postgres" in run.err


def test_missing_delivery_directory(load_raw: ModuleType, tmp_path: Path, profiles_dir: Path) -> None:
    run = run_cli(load_raw, "--dir", str(tmp_path / "nowhere"), "--target", "dev", "--profiles-dir", str(profiles_dir))
    assert run.rc == 2
    assert f"delivery directory {tmp_path / 'nowhere'} does not exist" in run.err
    assert not (tmp_path / "warehouse.duckdb").exists()


@pytest.mark.parametrize("args", [[], ["--dir"], ["--dir", "x", "--bogus"]])
def test_bad_arguments_give_usage(project_root: Path, args: list[str]) -> None:
    proc = subprocess.run([sys.executable, str(project_root / "scripts" / "load_raw.py"), *args],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "usage: load_raw.py" in proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------- loading
def test_load_matches_csv(warehouse: Warehouse, load_raw: ModuleType, delivery: Path,
                          contract: dict[str, list[str]]) -> None:
    (delivery / "notes.txt").write_text("not a table")
    write_csv(delivery / "extra_table.csv", ["a"], [["1"]])
    run = warehouse.load(load_raw, delivery)
    assert run.rc == 0, run.err
    empties = 0
    for table, columns in contract.items():
        expected = expected_rows(delivery / f"{table}.csv", columns)
        empties += sum(v is None for row in expected for v in row)
        assert warehouse.columns(table) == [(c, "character varying" if warehouse.target == "pg" else "varchar")
                                            for c in columns]
        assert warehouse.rows(table, columns) == expected, table
        assert f"loaded {table} " in run.out and f" {len(expected):,} rows" in run.out
        blanks = " or ".join(f'"{c}" = \'\'' for c in columns)
        assert warehouse.query(f'select count(*) from "{warehouse.raw_schema}"."{table}" where {blanks}') == [(0,)]
    assert empties > 0, "the sample has empty values, they must arrive as NULL"
    assert "ignored extra_table.csv" in run.out
    assert f"loaded {len(contract)} tables" in run.out and warehouse.raw_schema in run.out
    assert not warehouse.query("select table_name from information_schema.tables "
                               "where table_schema = ? and table_name = 'extra_table'", (warehouse.raw_schema,))


def test_shuffled_columns_and_quoted_empties(warehouse: Warehouse, load_raw: ModuleType, delivery: Path,
                                             contract: dict[str, list[str]]) -> None:
    path = delivery / "crm_customers.csv"
    original = expected_rows(path, contract["crm_customers"])
    header, rows = read_csv(path)
    order = list(range(len(header)))
    random.Random(7).shuffle(order)
    write_csv(path, [header[i] for i in order], [[r[i] for i in order] for r in rows], csv.QUOTE_ALL)
    assert path.read_text().splitlines()[0] != ",".join(contract["crm_customers"])
    assert '""' in path.read_text(), "quoted empty values present"
    run = warehouse.load(load_raw, delivery, "--quiet")
    assert run.rc == 0, run.err
    assert run.out == ""
    assert warehouse.rows("crm_customers", contract["crm_customers"]) == original


DEFECTS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "missing column": (lambda d: drop_column(d / "crm_customers.csv", "email"),
                       ["crm_customers.csv: missing column email"]),
    "unknown column": (lambda d: add_column(d / "orders.csv", "favourite_colour"),
                       ["orders.csv: unknown column favourite_colour"]),
    "missing file": (lambda d: (d / "payments.csv").unlink(), ["missing file payments.csv"]),
    "duplicate column": (lambda d: add_column(d / "events.csv", "platform"),
                         ["events.csv: duplicate column platform"]),
    "renamed column and missing file": (
        lambda d: (rename_column(d / "loyalty_members.csv", "email", "e_mail"), (d / "products.csv").unlink()),
        ["loyalty_members.csv: unknown column e_mail", "loyalty_members.csv: missing column email",
         "missing file products.csv"]),
    "empty file": (lambda d: (d / "campaigns.csv").write_text(""), ["campaigns.csv: empty file, no header row"]),
    # malformed records: DuckDB and Postgres would disagree on them, so the scan refuses them before either loads
    "NUL byte": (lambda d: alter_line(d / "orders.csv", 3, lambda b: b.replace(b",", b",\x00", 1)),
                 ["orders.csv line 3: NUL byte (Postgres cannot store it; remove it at the source)"]),
    "bad UTF-8 after the header": (
        lambda d: alter_line(d / "products.csv", 4, lambda b: b"\xff" + b),
        ["products.csv line 4: not valid UTF-8 at byte 1 of the line (invalid start byte)"]),
    "trailing empty field": (lambda d: alter_line(d / "events.csv", 2, lambda b: b.rstrip(b"\r\n") + b",\n"),
                             ["events.csv line 2: {fields_plus_one} fields, but the header has {fields}"]),
    "quote inside an unquoted field": (
        lambda d: alter_line(d / "payments.csv", 5, lambda b: b'x"y' + b),
        ["payments.csv line 5: a quote inside an unquoted field (RFC 4180: quote the whole field and double the "
         "quote)"]),
    "mixed line endings": (lambda d: alter_line(d / "interactions.csv", 3, lambda b: b.rstrip(b"\r\n") + b"\r\n"),
                           ["interactions.csv line 3: line ends in '\\r\\n', the header in '\\n' (DuckDB refuses "
                            "mixed line endings: use one throughout)"]),
    "quoted field left open": (
        lambda d: (d / "support_tickets.csv").write_bytes((d / "support_tickets.csv").read_bytes() + b'"open,\n'),
        ["support_tickets.csv line {last_line}: broken quoting (unexpected end of data); the rest of the file "
         "was not read"]),
}


def alter_line(path: Path, number: int, change: Callable[[bytes], bytes]) -> None:
    """Rewrite physical line ``number`` (1-based) of a file."""
    lines = path.read_bytes().splitlines(keepends=True)
    lines[number - 1] = change(lines[number - 1])
    path.write_bytes(b"".join(lines))


def expected_messages(messages: list[str], delivery: Path) -> list[str]:
    """Fill in the figures of a message that depend on the generated files."""
    fields = len(read_csv(delivery / "events.csv")[0])
    last_line = len((delivery / "support_tickets.csv").read_bytes().splitlines())
    return [m.format(fields=fields, fields_plus_one=fields + 1, last_line=last_line) for m in messages]


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_refused_delivery_changes_nothing(warehouse: Warehouse, load_raw: ModuleType, delivery: Path,
                                          contract: dict[str, list[str]], loaded: dict[str, list[tuple]],
                                          defect: str) -> None:
    breaker, messages = DEFECTS[defect]
    breaker(delivery)
    messages = expected_messages(messages, delivery)
    run = warehouse.load(load_raw, delivery)
    assert run.rc == 2
    problems = [line for line in run.err.splitlines() if not line.startswith("refused delivery")]
    assert sorted(problems) == sorted(messages)
    assert f"{len(messages)} problem(s); nothing was loaded" in run.err
    assert "loaded " not in run.out
    assert warehouse.snapshot(contract) == loaded


def test_blank_lines_are_skipped_alike_on_both_engines(warehouse: Warehouse, load_raw: ModuleType,
                                                      delivery: Path, contract: dict[str, list[str]]) -> None:
    """A blank line is not a record: DuckDB skips it, COPY would read a record of one empty field; both skip it."""
    path = delivery / "orders.csv"
    expected = expected_rows(path, contract["orders"])
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:3] + [b"\n"] + lines[3:] + [b"\n", b"\n"]))
    run = warehouse.load(load_raw, delivery, "--quiet")
    assert run.rc == 0, run.err
    assert warehouse.rows("orders", contract["orders"]) == expected
    assert load_raw.scan_file(path, len(contract["orders"])).blank_lines == [4, len(lines) + 2, len(lines) + 3]


def test_failure_midway_rolls_back(warehouse: Warehouse, load_raw: ModuleType, delivery: Path,
                                   contract: dict[str, list[str]], loaded: dict[str, list[tuple]],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    last = list(contract)[-1]
    with (delivery / f"{last}.csv").open("a", encoding="utf-8") as fh:
        fh.write("a,row,with,far,too,many,fields," + ",".join("x" * 40) + "\n")
    # the scan would refuse this file before loading; blind it so that the engine meets the row midway
    monkeypatch.setattr(load_raw, "scan_file", lambda path, fields=None: load_raw.FileScan())
    run = warehouse.load(load_raw, delivery)
    assert run.rc == 1
    assert f"load failed on {last}" in run.err and "rolled back" in run.err
    assert "Traceback" not in run.err
    assert f"loaded {list(contract)[0]} " in run.out, "earlier tables were loaded before the failure"
    assert warehouse.snapshot(contract) == loaded


def test_load_function_api(warehouse: Warehouse, load_raw: ModuleType, delivery: Path,
                           contract: dict[str, list[str]]) -> None:
    target = load_raw.resolve_target(warehouse.target, warehouse.profiles_dir)
    lines: list[str] = []
    result = load_raw.load(delivery, target, contract, echo=lines.append)
    assert set(result.rows) == set(contract) and len(lines) == len(contract)
    assert result.total_rows == sum(len(read_csv(delivery / f"{t}.csv")[1]) for t in contract)
    drop_column(delivery / "crm_customers.csv", "email")
    with pytest.raises(load_raw.DeliveryError) as refused:
        load_raw.load(delivery, target, contract, echo=None)
    assert refused.value.problems == ["crm_customers.csv: missing column email"]


# --------------------------------------------------------------- engine-only
def test_duckdb_locked_file_is_reported(load_raw: ModuleType, delivery: Path, profiles_dir: Path,
                                        tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
                               "sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        run = run_cli(load_raw, "--dir", str(delivery), "--target", "dev", "--profiles-dir", str(profiles_dir))
    finally:
        holder.communicate("")
    assert run.rc == 1
    assert f"DuckDB file {db} is locked by another process" in run.err
    assert "Traceback" not in run.err


@pytest.mark.postgres
def test_postgres_reload_keeps_views_and_replaces_foreign_shapes(
        load_raw: ModuleType, delivery: Path, profiles_dir: Path, contract: dict[str, list[str]],
        pg_schema_prefix: str, postgres: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_SCHEMA", pg_schema_prefix)
    wh = Warehouse("pg", profiles_dir, pg_schema_prefix, Path("unused"), postgres)
    raw, staging = wh.raw_schema, f"{pg_schema_prefix}_staging"
    # a table of another shape where a contract table belongs, with a view on it
    wh.query(f'create schema "{raw}"; create table "{raw}".products (product_id int, extra text); '
             f'create schema "{staging}"; create view "{staging}".v_products as select * from "{raw}".products')
    first = wh.load(load_raw, delivery)
    assert first.rc == 0, first.err
    assert "drop cascades to view" in first.out
    assert [c for c, _ in wh.columns("products")] == contract["products"]
    # a view on a table of the contract shape survives a reload, and sees the new rows
    wh.query(f'create view "{staging}".v_customers as select customer_id from "{raw}".crm_customers')
    header, rows = read_csv(delivery / "crm_customers.csv")
    write_csv(delivery / "crm_customers.csv", header, rows[:5])
    assert wh.load(load_raw, delivery, "--quiet").rc == 0
    assert wh.query(f'select count(*) from "{staging}".v_customers') == [(5,)]


# ------------------------------------------------------------------ manifest
def manifest_entries(directory: Path) -> dict[str, dict[str, str]]:
    with (directory / "_manifest.csv").open(newline="") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def write_manifest(directory: Path, entries: dict[str, dict[str, str]]) -> None:
    write_csv(directory / "_manifest.csv", ["file", "rows", "sha256"],
              [[e["file"], e["rows"], e["sha256"]] for e in entries.values()])


def test_file_facts_count_records_not_lines(load_raw: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b'a,b\n1,"two\nlines"\n\n3,"say ""hi"""\n4,x')
    rows, sha = load_raw.file_facts(path)
    assert rows == 3 and sha == hashlib.sha256(path.read_bytes()).hexdigest()
    (tmp_path / "header_only.csv").write_text("a,b\n")
    assert load_raw.file_facts(tmp_path / "header_only.csv")[0] == 0


def test_matching_manifest_loads(warehouse: Warehouse, load_raw: ModuleType, manifested: Path,
                                 contract: dict[str, list[str]]) -> None:
    run = warehouse.load(load_raw, manifested)
    assert run.rc == 0, run.err
    assert f"verified {len(contract)} files against _manifest.csv (rows and sha256)" in run.out
    assert "could not be verified" not in run.out + run.err and "ignored _manifest.csv" not in run.out
    assert "(verified against _manifest.csv)" in run.out
    assert warehouse.rows("orders", contract["orders"]) == expected_rows(manifested / "orders.csv", contract["orders"])


def test_missing_manifest_loads_with_one_warning(warehouse: Warehouse, load_raw: ModuleType, delivery: Path) -> None:
    for extra in ((), ("--quiet",)):
        run = warehouse.load(load_raw, delivery, *extra)
        assert run.rc == 0, run.err
        assert (run.out + run.err).count("completeness could not be verified") == 1
        assert "warning: " in run.err


def refused(run: Run) -> list[str]:
    assert run.rc == 2, (run.out, run.err)
    assert "nothing was loaded" in run.err and "loaded " not in run.out
    return [line for line in run.err.splitlines() if not line.startswith("refused delivery")]


def test_truncated_file_refuses_the_delivery(warehouse: Warehouse, load_raw: ModuleType, manifested: Path,
                                             contract: dict[str, list[str]], loaded: dict[str, list[tuple]]) -> None:
    lines = (manifested / "events.csv").read_bytes().splitlines(keepends=True)
    (manifested / "events.csv").write_bytes(b"".join(lines[:-7]))  # cut at a row boundary
    listed = manifest_entries(manifested)["events.csv"]
    problems = refused(warehouse.load(load_raw, manifested))
    cut_sha = hashlib.sha256((manifested / "events.csv").read_bytes()).hexdigest()
    assert problems == [
        f"events.csv: {int(listed['rows']) - 7} rows, but _manifest.csv lists {listed['rows']} (truncated or altered "
        f"in transfer?)",
        f"events.csv: sha256 {cut_sha}, but _manifest.csv lists {listed['sha256']}"]
    assert warehouse.snapshot(contract) == loaded


def test_altered_byte_refuses_the_delivery(warehouse: Warehouse, load_raw: ModuleType, manifested: Path,
                                           contract: dict[str, list[str]], loaded: dict[str, list[tuple]]) -> None:
    path = manifested / "crm_customers.csv"
    data = bytearray(path.read_bytes())
    i = data.index(b"@", len(data) // 2)  # an e-mail address in the middle: still one valid record
    data[i - 1] = ord("x") if data[i - 1] != ord("x") else ord("y")
    path.write_bytes(bytes(data))
    listed = manifest_entries(manifested)["crm_customers.csv"]
    problems = refused(warehouse.load(load_raw, manifested))
    assert problems == [f"crm_customers.csv: sha256 {hashlib.sha256(data).hexdigest()}, "
                        f"but _manifest.csv lists {listed['sha256']}"]
    assert warehouse.snapshot(contract) == loaded


MANIFEST_DEFECTS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "listed file missing": (lambda d: (d / "nps_responses.csv").unlink(),
                            ["missing file nps_responses.csv",
                             "nps_responses.csv: listed in _manifest.csv but missing from the delivery"]),
    "table file not listed": (
        lambda d: write_manifest(d, {k: v for k, v in manifest_entries(d).items() if k != "payments.csv"}),
        ["payments.csv: a table file not listed in _manifest.csv"]),
    "bad rows figure": (
        lambda d: write_manifest(d, {k: {**v, "rows": "many"} if k == "orders.csv" else v
                                     for k, v in manifest_entries(d).items()}),
        ["_manifest.csv line 10: rows of orders.csv is 'many', not a whole number"]),
    "manifest without sha256": (lambda d: drop_column(d / "_manifest.csv", "sha256"),
                                ["_manifest.csv: missing column sha256"]),
}


@pytest.mark.parametrize("defect", list(MANIFEST_DEFECTS))
def test_manifest_problems_refuse_the_delivery(load_raw: ModuleType, manifested: Path, profiles_dir: Path,
                                               defect: str, tmp_path: Path) -> None:
    breaker, messages = MANIFEST_DEFECTS[defect]
    breaker(manifested)
    run = run_cli(load_raw, "--dir", str(manifested), "--target", "dev", "--profiles-dir", str(profiles_dir))
    assert sorted(refused(run)) == sorted(messages)
    assert not (tmp_path / "warehouse.duckdb").exists(), "nothing was opened"
