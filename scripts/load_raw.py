#!/usr/bin/env python3
"""Load a delivery of raw CSV files into the raw schema of a dbt target.

A delivery is a directory holding one ``<table>.csv`` per table of the raw
source contract (../shared/spec/raw_sources.md): UTF-8, header row, RFC 4180,
column order free, names exact. The contract is read from the dbt source
YAMLs (models/staging/*/_*__sources.yml), the same place dbt reads it.

Usage:
    scripts/load_raw.py --dir DIR [--target TARGET] [--profiles-dir PATH]
                        [--profile NAME] [--quiet]

    scripts/load_raw.py --dir /data/delivery_2026_06 --target pg
    DBT_SCHEMA=dbt_alice scripts/load_raw.py --dir /tmp/gen --target dev

What it does:
1. Resolves the target from profiles.yml with scripts/connections.py
   (--profiles-dir, else $DBT_PROFILES_DIR, else the current directory, else
   ~/.dbt), rendering ``env_var()`` and ``as_number`` like dbt. The target
   defaults to $DBT_TARGET, else the profile's ``target``. Supported types:
   duckdb, postgres.
2. Validates the whole delivery before touching the database: every contract
   table has a file, every header holds exactly the contract columns. Each
   problem is printed (``<file>: missing column <col>``, ``<file>: unknown
   column <col>``, ``<file>: duplicate column <col>``, ``missing file
   <table>.csv``) and nothing is loaded. Other files and subdirectories (such
   as ``_truth/``) are ignored; files starting with ``_`` are never tables.
   With a control file ``_manifest.csv`` (columns file, rows, sha256; see
   raw_sources.md) every listed file must exist with that many records (header
   excluded) and that sha256, and every table file must be listed; else the
   delivery is refused, naming the file and both figures (``events.csv: 9 rows,
   but _manifest.csv lists 10``). Without one the delivery loads and a warning
   says once (on stderr, also with --quiet) that completeness could not be
   verified.
   Every table file is read once (scan_file) before either engine sees it, so a
   delivery is accepted or refused alike on DuckDB and Postgres: a NUL byte,
   bytes that are not UTF-8, a record with more or fewer fields than the header,
   a quote inside an unquoted field, a quoted field left open and mixed line
   endings refuse the delivery, each named with file and line
   (``orders.csv line 3: NUL byte ...``; at most 5 per file, then a count).
   Blank lines are not records: both loaders skip them. The same read counts the
   records and hashes the bytes for the manifest.
3. Replaces every raw table in ONE transaction (all columns varchar, contract
   column order, empty value = NULL, quoted or not). A failure midway rolls
   back, leaving the previous raw tables as they were. The raw schema is
   ``raw`` for target ``prod``, else ``<target schema>_raw``, as in
   macros/generate_schema_name.sql.
   DuckDB: ``read_csv`` bulk load, tables dropped and re-created.
   Postgres: ``COPY ... FROM STDIN (FORMAT csv, HEADER true, FORCE_NULL ...)``;
   a table that already has exactly the contract shape is truncated instead of
   dropped, so views built on it (staging) and grants survive; any other table
   is dropped (CASCADE) and re-created. Tables are ANALYZEd after loading.

Exit codes: 0 loaded; 2 bad arguments, unknown target or refused delivery
(nothing loaded); 1 connection or load failure (rolled back).
"""
from __future__ import annotations

import argparse
import csv
import getpass
import hashlib
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from connections import ConfigError, ConnectError, ConnectionsError, Target, resolve_target  # noqa: E402

__all__ = ["ConfigError", "DeliveryError", "LoadRawError", "Target", "load", "load_contract", "main",
           "resolve_target", "validate_delivery"]

PROJECT_DIR = Path(__file__).resolve().parent.parent
SOURCES_GLOB = "models/staging/*/_*__sources.yml"
COPY_BUFFER_BYTES = 1 << 20
MANIFEST_FILE = "_manifest.csv"
MANIFEST_COLUMNS = ["file", "rows", "sha256"]
UNVERIFIED = "completeness could not be verified (no _manifest.csv: row counts and checksums unchecked)"

Printer = Callable[[str], None]


# --------------------------------------------------------------------- errors
# ConfigError (profile, target or contract problem: nothing was attempted, exit 2) comes from
# connections.py, as does ConnectError (exit 1); both are ConnectionsError.
class LoadRawError(Exception):
    """A failure with a user-facing message and a process exit code."""

    exit_code = 1


class DeliveryError(LoadRawError):
    """The delivery breaks the contract: nothing was loaded."""

    exit_code = 2

    def __init__(self, directory: Path, problems: list[str]):
        self.directory = directory
        self.problems = problems
        super().__init__("\n".join(problems))


# ------------------------------------------------------------------- contract
def load_contract(project_dir: Path = PROJECT_DIR) -> dict[str, list[str]]:
    """Table -> column names, in declaration order, from the dbt source YAMLs."""
    files = sorted(project_dir.glob(SOURCES_GLOB))
    if not files:
        raise ConfigError(f"no source YAML matches {project_dir / SOURCES_GLOB}")
    contract: dict[str, list[str]] = {}
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in doc.get("sources") or []:
            for table in source.get("tables") or []:
                name = table["name"]
                if name in contract:
                    raise ConfigError(f"{path}: table {name} is declared twice in the source YAMLs")
                columns = [c["name"] for c in table.get("columns") or []]
                if not columns:
                    raise ConfigError(f"{path}: table {name} declares no columns")
                contract[name] = columns
    return contract


# ------------------------------------------------------------------- delivery
@dataclass(frozen=True)
class DeliveryFile:
    table: str
    path: Path
    header: list[str]  # column names in file order
    blank_lines: tuple[int, ...] = ()  # line numbers of blank lines (not records), skipped on every engine


@dataclass
class FileScan:
    """What one read of a CSV file found: its records, checksum, blank lines and structural problems."""

    records: int = 0  # header excluded, blank lines excluded
    sha256: str = ""
    blank_lines: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0  # problems beyond MAX_PROBLEMS_PER_FILE, counted, not listed


MAX_PROBLEMS_PER_FILE = 5
# one RFC 4180 record: fields unquoted (no quote, comma or line break) or quoted (quotes doubled inside)
_RECORD = re.compile(r'(?:[^",\r\n]*|"(?:[^"]|"")*")(?:,(?:[^",\r\n]*|"(?:[^"]|"")*"))*(?:\r?\n)?', re.S)


@dataclass
class Delivery:
    directory: Path
    files: dict[str, DeliveryFile] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    manifest: list[str] | None = None  # files verified against _manifest.csv; None = no manifest
    scans: dict[str, FileScan] = field(default_factory=dict)  # file name -> what reading it found

    @property
    def ok(self) -> bool:
        return not self.problems


def read_header(path: Path) -> list[str] | None:
    """First CSV record of a file (BOM tolerated); None for an empty file.

    Only the header's own bytes are decoded, so a bad byte further down is reported by
    scan_file with its line, not as a header problem.
    """
    lines: list[bytes] = []
    with path.open("rb") as fh:
        for raw in fh:
            lines.append(raw)
            if b"".join(lines).count(b'"') % 2 == 0:
                break
    if not lines:
        return None
    text = b"".join(lines).decode("utf-8-sig")
    return next(csv.reader([text]), None) if text.strip("\r\n") else next(csv.reader([text]), None)


def header_problems(filename: str, header: list[str], expected: list[str]) -> list[str]:
    """Contract violations of one header: missing, unknown and duplicate columns."""
    seen: set[str] = set()
    problems = []
    for col in header:
        shown = col if col.strip() else repr(col)
        if col in seen:
            problems.append(f"{filename}: duplicate column {shown}")
        elif col not in expected:
            problems.append(f"{filename}: unknown column {shown}")
        seen.add(col)
    problems += [f"{filename}: missing column {col}" for col in expected if col not in seen]
    return problems


def validate_delivery(directory: str | Path, contract: Mapping[str, list[str]]) -> Delivery:
    """Check every contract table has a file whose header matches the contract."""
    directory = Path(directory)
    delivery = Delivery(directory)
    if not directory.is_dir():
        delivery.problems.append(f"delivery directory {directory} does not exist")
        return delivery
    for table, expected in contract.items():
        path = directory / f"{table}.csv"
        if not path.is_file():
            delivery.problems.append(f"missing file {table}.csv")
            continue
        try:
            header = read_header(path)
        except UnicodeDecodeError as exc:
            delivery.problems.append(f"{path.name} line 1: header is not valid UTF-8 ({exc.reason})")
            continue
        if not header:
            delivery.problems.append(f"{path.name}: empty file, no header row")
            continue
        problems = header_problems(path.name, header, expected)
        delivery.problems += problems
        if problems:
            continue
        scan = scan_file(path, len(header))
        delivery.scans[path.name] = scan
        delivery.problems += scan_problems(scan)
        if not scan.problems:
            delivery.files[table] = DeliveryFile(table, path, header, tuple(scan.blank_lines))
    expected_names = {f"{t}.csv" for t in contract}
    # files starting with _ are never tables (control files such as _manifest.csv)
    delivery.ignored = sorted(p.name for p in directory.glob("*.csv")
                              if p.name not in expected_names and not p.name.startswith("_"))
    if (directory / MANIFEST_FILE).is_file():
        delivery.manifest, problems = verify_manifest(directory, contract, delivery.scans)
        delivery.problems += problems
    return delivery


# ----------------------------------------------------------------- file scan
def scan_file(path: Path, fields: int | None = None) -> FileScan:
    """Read a CSV file once, as both engines would need it, before either loads it.

    Counts records (header excluded; a quoted field may hold line breaks; blank lines are
    not records) and hashes the bytes for the manifest, and finds what DuckDB and Postgres
    would treat differently, so that the delivery is accepted or refused alike on both:
    a NUL byte, bytes that are not UTF-8, a record whose field count differs from the
    header's (``fields``), a quote inside an unquoted field or after a closing quote, and
    a quoted field left open at the end of the file. Each problem names the file and the
    line. Blank lines are listed (both loaders skip them).
    """
    scan = FileScan()
    digest = hashlib.sha256()
    name = path.name
    record_lines: list[str] = []
    line_number = 0

    def problem(line: int, text: str) -> None:
        if len(scan.problems) < MAX_PROBLEMS_PER_FILE:
            scan.problems.append(f"{name} line {line}: {text}")
        else:
            scan.more_problems += 1

    def lines() -> Iterator[str]:
        nonlocal line_number
        with path.open("rb") as fh:
            for raw in fh:
                line_number += 1
                digest.update(raw)
                if b"\x00" in raw:
                    problem(line_number, "NUL byte (Postgres cannot store it; remove it at the source)")
                    raw = raw.replace(b"\x00", b"")
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    problem(line_number, f"not valid UTF-8 at byte {exc.start + 1} of the line ({exc.reason})")
                    text = raw.decode("utf-8", "replace")
                if line_number == 1:
                    text = text.removeprefix("\ufeff")
                record_lines.append(text)
                yield text

    reader = csv.reader(lines(), strict=True)
    first_line = 1
    header_seen = False
    newline: str | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problem(first_line, f"broken quoting ({exc}); the rest of the file was not read")
            record_lines.clear()
            for _ in lines_rest(path, line_number, digest):
                pass
            break
        text = "".join(record_lines)
        record_lines.clear()
        ending = "\r\n" if text.endswith("\r\n") else "\n" if text.endswith("\n") else ""
        if newline is None:
            newline = ending
        elif ending and ending != newline:
            problem(line_number, f"line ends in {ending!r}, the header in {newline!r} (DuckDB refuses mixed line "
                                 f"endings: use one throughout)")
        if not row:
            scan.blank_lines.append(first_line)
        elif not header_seen:
            header_seen = True
        else:
            scan.records += 1
            if fields is not None and len(row) != fields:
                problem(first_line, f"{len(row)} fields, but the header has {fields}")
            elif '"' in text and not _RECORD.fullmatch(text):
                problem(first_line, "a quote inside an unquoted field (RFC 4180: quote the whole field and "
                                    "double the quote)")
        first_line = line_number + 1
    if record_lines and "".join(record_lines).count('"') % 2:
        problem(first_line, "a quoted field is not closed before the end of the file")
    scan.sha256 = digest.hexdigest()
    return scan


def lines_rest(path: Path, consumed: int, digest: Any) -> Iterator[bytes]:
    """The lines of a file after the first ``consumed``, hashed into ``digest`` (after a parse error)."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if number > consumed:
                digest.update(raw)
                yield raw


def scan_problems(scan: FileScan) -> list[str]:
    more = [f"... and {scan.more_problems} more problem(s) of the same file"] if scan.more_problems else []
    return scan.problems + more


# ------------------------------------------------------------------- manifest
def file_facts(path: Path) -> tuple[int, str]:
    """(records excluding the header, sha256 of the bytes) of a CSV file (see scan_file)."""
    scan = scan_file(path)
    return scan.records, scan.sha256


def read_manifest(path: Path) -> tuple[list[tuple[int, str, str, str]], list[str]]:
    """Entries (line, file, rows, sha256) of a manifest and the problems of its form."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            return [], [f"{path.name}: empty file, no header row"]
        problems = header_problems(path.name, header, MANIFEST_COLUMNS)
        if problems:
            return [], problems
        pos = [header.index(c) for c in MANIFEST_COLUMNS]
        entries = [(reader.line_num, *(row[i].strip() if i < len(row) else "" for i in pos))
                   for row in reader if row]
    return entries, []


def verify_manifest(directory: Path, contract: Mapping[str, list[str]],
                    scans: Mapping[str, FileScan] | None = None) -> tuple[list[str], list[str]]:
    """Check the files of a delivery against its _manifest.csv: (files verified, problems).

    Every listed file must exist with the listed row count and sha256, and every table
    file of the delivery must be listed.
    """
    entries, problems = read_manifest(directory / MANIFEST_FILE)
    if problems:
        return [], problems
    listed: dict[str, tuple[int, str]] = {}
    for line, name, rows, sha in entries:
        where = f"{MANIFEST_FILE} line {line}"
        if not name or Path(name).name != name or name.startswith("_") or name in (".", ".."):
            problems.append(f"{where}: {name!r} is not the name of a file of the delivery")
        elif name in listed:
            problems.append(f"{where}: {name} is listed twice")
        elif not rows.isdigit():
            problems.append(f"{where}: rows of {name} is {rows!r}, not a whole number")
        elif not re.fullmatch(r"[0-9a-fA-F]{64}", sha):
            problems.append(f"{where}: sha256 of {name} is {sha!r}, not 64 hex digits")
        else:
            listed[name] = (int(rows), sha.lower())
    verified = []
    for name, (rows, sha) in listed.items():
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: listed in {MANIFEST_FILE} but missing from the delivery")
            continue
        scan = (scans or {}).get(name)
        actual_rows, actual_sha = (scan.records, scan.sha256) if scan else file_facts(path)
        if actual_rows != rows:
            problems.append(f"{name}: {actual_rows} rows, but {MANIFEST_FILE} lists {rows} (truncated or "
                            f"altered in transfer?)")
        if actual_sha != sha:
            problems.append(f"{name}: sha256 {actual_sha}, but {MANIFEST_FILE} lists {sha}")
        if actual_rows == rows and actual_sha == sha:
            verified.append(name)
    for table in contract:
        name = f"{table}.csv"
        if (directory / name).is_file() and name not in listed and not any(
                e[1] == name for e in entries):
            problems.append(f"{name}: a table file not listed in {MANIFEST_FILE}")
    return verified, problems


# ---------------------------------------------------------------------- loading
@dataclass
class LoadResult:
    target: Target
    directory: Path
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0
    manifest_verified: bool = False

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def column_defs(columns: list[str]) -> str:
    return ", ".join(f"{quote_ident(c)} varchar" for c in columns)


LOAD_LOG = "_load_log"  # one row per table per load: what source freshness reads (macros/utils/raw_load_log.sql)
LOAD_LOG_COLUMNS = "table_name, loaded_rows, loaded_at, loaded_by, manifest_verified"


def load_log_ddl(schema: str) -> str:
    return (f"create table if not exists {quote_ident(schema)}.{LOAD_LOG} (table_name varchar(64), loaded_rows bigint, "
            "loaded_at timestamp, loaded_by varchar(64), manifest_verified boolean)")


def load_log_rows(rows: Mapping[str, int], verified: bool) -> list[tuple]:
    """The log rows of one load: every table with its row count, at one UTC instant."""
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return [(table, count, loaded_at, f"load_raw.py ({user})"[:64], verified) for table, count in rows.items()]


class DuckDBLoader:
    """All tables in one DuckDB transaction: drop, then CREATE TABLE AS read_csv."""

    def __init__(self, target: Target):
        self.target = target
        self.con: Any = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            self.con = self.target.connect()
        except ConnectError as exc:
            raise LoadRawError(str(exc)) from exc
        try:
            self.con.execute("begin transaction")
            self.con.execute(f"create schema if not exists {quote_ident(self.target.raw_schema)}")
            yield
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise
        finally:
            self.con.close()
            self.con = None

    def load_table(self, file: DeliveryFile, columns: list[str]) -> int:
        rel = f"{quote_ident(self.target.raw_schema)}.{quote_ident(file.table)}"
        typed = "{" + ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in file.header) + "}"
        self.con.execute(f"drop table if exists {rel}")
        self.con.execute(
            f"create table {rel} as select {', '.join(quote_ident(c) for c in columns)} "
            f"from read_csv({quote_literal(str(file.path))}, header = true, auto_detect = false, "
            f"columns = {typed}, delim = ',', quote = '\"', escape = '\"', all_varchar = true)")
        return self.con.execute(f"select count(*) from {rel}").fetchone()[0]

    def record_load(self, rows: Mapping[str, int], verified: bool) -> None:
        self.con.execute(load_log_ddl(self.target.raw_schema))
        self.con.executemany(f"insert into {quote_ident(self.target.raw_schema)}.{LOAD_LOG} ({LOAD_LOG_COLUMNS}) "
                             "values (?, ?, ?, ?, ?)", load_log_rows(rows, verified))


class WithoutLines:
    """A binary file object that leaves out the given (1-based) line numbers, for COPY ... FROM STDIN."""

    def __init__(self, fh: Any, skip: tuple[int, ...]):
        skipped = set(skip)
        self._lines = (line for number, line in enumerate(fh, 1) if number not in skipped)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        parts, length = [self._buffer], len(self._buffer)
        while size < 0 or length < size:
            line = next(self._lines, None)
            if line is None:
                break
            parts.append(line)
            length += len(line)
        data = b"".join(parts)
        if size < 0:
            size = len(data)
        chunk, self._buffer = data[:size], data[size:]
        return chunk

    readline = read


class PostgresLoader:
    """All tables in one Postgres transaction: truncate or re-create, then COPY."""

    def __init__(self, target: Target, echo: Printer):
        self.target = target
        self.echo = echo
        self.conn: Any = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            self.conn = self.target.connect()
        except ConnectError as exc:
            raise LoadRawError(str(exc)) from exc
        try:
            self.conn.set_client_encoding("UTF8")
            with self.conn.cursor() as cur:
                cur.execute(f"create schema if not exists {quote_ident(self.target.raw_schema)}")
            yield
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        finally:
            self.conn.close()
            self.conn = None

    def _has_contract_shape(self, cur: Any, table: str, columns: list[str]) -> bool:
        cur.execute("""select column_name, data_type, is_nullable from information_schema.columns
                       where table_schema = %s and table_name = %s order by ordinal_position""",
                    (self.target.raw_schema, table))
        existing = cur.fetchall()
        return [r[0] for r in existing] == columns and all(
            r[1] in ("character varying", "text") and r[2] == "YES" for r in existing)

    def _replace(self, cur: Any, table: str, columns: list[str]) -> None:
        rel = f"{quote_ident(self.target.raw_schema)}.{quote_ident(table)}"
        cur.execute("select c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                    "where n.nspname = %s and c.relname = %s", (self.target.raw_schema, table))
        kind = cur.fetchone()
        if kind and kind[0] == "r" and self._has_contract_shape(cur, table, columns):
            cur.execute(f"truncate table {rel}")
            return
        if kind:
            drop = "view" if kind[0] == "v" else "materialized view" if kind[0] == "m" else "table"
            del self.conn.notices[:]
            cur.execute(f"drop {drop} {rel} cascade")
            for notice in self.conn.notices:
                self.echo(f"  note: {notice.strip()}")
        cur.execute(f"create table {rel} ({column_defs(columns)})")

    def load_table(self, file: DeliveryFile, columns: list[str]) -> int:
        rel = f"{quote_ident(self.target.raw_schema)}.{quote_ident(file.table)}"
        cols = ", ".join(quote_ident(c) for c in file.header)
        with self.conn.cursor() as cur:
            self._replace(cur, file.table, columns)
            with file.path.open("rb") as fh:
                # COPY reads a blank line as a record of one empty field; DuckDB skips it: skip it here too
                stream = WithoutLines(fh, file.blank_lines) if file.blank_lines else fh
                cur.copy_expert(f"copy {rel} ({cols}) from stdin with (format csv, header true, "
                                f"force_null ({cols}))", stream, size=COPY_BUFFER_BYTES)
                rows = cur.rowcount
            cur.execute(f"analyze {rel}")
        return rows

    def record_load(self, rows: Mapping[str, int], verified: bool) -> None:
        with self.conn.cursor() as cur:
            cur.execute(load_log_ddl(self.target.raw_schema))
            cur.executemany(f"insert into {quote_ident(self.target.raw_schema)}.{LOAD_LOG} ({LOAD_LOG_COLUMNS}) "
                            "values (%s, %s, %s, %s, %s)", load_log_rows(rows, verified))


def warn_stderr(line: str) -> None:
    print(f"warning: {line}", file=sys.stderr, flush=True)


def load(directory: str | Path, target: Target, contract: Mapping[str, list[str]] | None = None, *,
         echo: Printer | None = print, warn: Printer | None = warn_stderr) -> LoadResult:
    """Validate the delivery (and its _manifest.csv), then replace all raw tables of the target in one transaction.

    Raises DeliveryError (nothing loaded) or LoadRawError (rolled back).
    ``echo`` receives progress lines; None silences them. ``warn`` receives, once, the
    notice that a delivery without a manifest could not be checked for completeness.
    """
    say: Printer = echo or (lambda _line: None)
    contract = contract if contract is not None else load_contract()
    delivery = validate_delivery(directory, contract)
    if not delivery.ok:
        raise DeliveryError(Path(directory), delivery.problems)
    if delivery.manifest is None:
        if warn:
            warn(f"{Path(directory)}: {UNVERIFIED}")
    else:
        say(f"verified {len(delivery.manifest)} files against {MANIFEST_FILE} (rows and sha256)")
    for name in delivery.ignored:
        say(f"ignored {name} (not a contract table)")
    loader = DuckDBLoader(target) if target.type == "duckdb" else PostgresLoader(target, say)
    result = LoadResult(target, Path(directory), manifest_verified=delivery.manifest is not None)
    started = time.perf_counter()
    with loader.transaction():
        for table, columns in contract.items():
            t0 = time.perf_counter()
            try:
                rows = loader.load_table(delivery.files[table], columns)
            except Exception as exc:
                raise LoadRawError(f"load failed on {table} ({delivery.files[table].path}): {exc}\n"
                                   f"rolled back: the tables in {target.raw_schema} are unchanged") from exc
            result.rows[table] = rows
            result.seconds[table] = time.perf_counter() - t0
            say(f"loaded {table:<22} {rows:>12,} rows {result.seconds[table]:7.1f}s")
        # in the same transaction: the load times source freshness reads (GEN-05)
        loader.record_load(result.rows, result.manifest_verified)
    result.total_seconds = time.perf_counter() - started
    return result


def summary(result: LoadResult) -> str:
    """One-screen summary of a finished load."""
    rule = "-" * 64
    return "\n".join([
        rule,
        f"loaded {len(result.rows)} tables, {result.total_rows:,} rows in {result.total_seconds:.1f}s "
        f"({result.total_rows / max(result.total_seconds, 1e-9):,.0f} rows/s)",
        f"target    {result.target.describe()}",
        f"schema    {result.target.raw_schema}",
        f"delivery  {result.directory.resolve()}" + (f" (verified against {MANIFEST_FILE})"
                                                      if result.manifest_verified else ""),
        f"profiles  {result.target.profiles_path}",
        rule,
    ])


# -------------------------------------------------------------------------- CLI
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="load_raw.py",
        description="Load a directory of delivered CSV files into the raw schema of a dbt target.",
        epilog="Exit codes: 0 loaded; 2 bad arguments or refused delivery (nothing loaded); "
               "1 connection or load failure (rolled back).")
    ap.add_argument("--dir", required=True, help="delivery directory holding <table>.csv for every contract table")
    ap.add_argument("--target", help="dbt target (default: $DBT_TARGET, else the profile's target)")
    ap.add_argument("--profiles-dir", help="directory of profiles.yml (default: $DBT_PROFILES_DIR, "
                                           "the current directory, ~/.dbt)")
    ap.add_argument("--profile", help="profile name (default: profile of dbt_project.yml)")
    ap.add_argument("--quiet", action="store_true", help="no progress output, errors only")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    echo: Printer | None = None if args.quiet else (lambda line: print(line, flush=True))
    try:
        target = resolve_target(args.target, args.profiles_dir, profile=args.profile)
        if echo:
            echo(f"delivery {args.dir} -> schema {target.raw_schema} on {target.describe()}")
        result = load(args.dir, target, echo=echo)
    except DeliveryError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"refused delivery {exc.directory}: {len(exc.problems)} problem(s); nothing was loaded",
              file=sys.stderr)
        return exc.exit_code
    except (LoadRawError, ConnectionsError) as exc:
        print(f"load_raw.py: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("load_raw.py: interrupted; rolled back", file=sys.stderr)
        return 130
    if echo:
        echo(summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
