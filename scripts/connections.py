#!/usr/bin/env python3
"""One way for the project's scripts and tests to reach a warehouse: a dbt target of profiles.yml.

``resolve_target(target, profiles_dir, env=...)`` reads profiles.yml the way dbt does:

* the file: ``--profiles-dir`` (the ``profiles_dir`` argument), else ``$DBT_PROFILES_DIR``,
  else the current directory, else ``~/.dbt``;
* the profile: ``profile:`` of dbt_project.yml (or ``profile=``);
* the target: the argument, else ``$DBT_TARGET``, else the profile's ``target``;
* values rendered like dbt: ``env_var(name, default)`` and the ``as_number``, ``as_bool``,
  ``as_text`` and ``as_native`` filters.

It returns a ``Target``: name, type (duckdb or postgres), schema (the prefix of every layer
schema, ``target.schema`` in dbt), connection credentials, and ``connect()``.
``Target.layer_schema("raw")`` is the schema of a layer as macros/generate_schema_name.sql
names it: the layer itself for target ``prod``, else ``<schema>_<layer>``.

``project_target()`` is the same lookup for the project's own tools and tests: before
``make install`` has created profiles.yml it falls back to profiles.yml.example (which
``make install`` copies), so the defaults are one file's, not every script's.

Run as a script it prints the resolved target: ``connections.py [--target T] [--profiles-dir DIR]``.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXAMPLE_PROFILES = PROJECT_DIR / "profiles.yml.example"
SUPPORTED_TYPES = ("duckdb", "postgres")


class ConnectionsError(Exception):
    """A failure with a user-facing message and a process exit code."""

    exit_code = 1


class ConfigError(ConnectionsError):
    """Profile or target problem: nothing was attempted."""

    exit_code = 2


class ProfilesNotFound(ConfigError):
    """No profiles.yml where dbt would look."""


class ConnectError(ConnectionsError):
    """The warehouse of a target cannot be opened."""

    exit_code = 1


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(frozen=True)
class Target:
    name: str
    type: str
    schema: str  # the prefix of the layer schemas (dbt's target.schema)
    credentials: dict[str, Any]
    profiles_path: Path | None

    def layer_schema(self, layer: str) -> str:
        """The schema of a layer, as in macros/generate_schema_name.sql."""
        return layer if self.name == "prod" else f"{self.schema}_{layer}"

    @property
    def raw_schema(self) -> str:
        return self.layer_schema("raw")

    def describe(self) -> str:
        c = self.credentials
        if self.type == "duckdb":
            return f"{self.name} (duckdb {c['path']})"
        return f"{self.name} (postgres {c.get('user')}@{c.get('host')}:{c.get('port')}/{c.get('dbname')})"

    def connect(self, read_only: bool = False, connect_timeout: int | None = 10) -> Any:
        """A DuckDB or psycopg2 connection; ConnectError with a readable message when it cannot be had."""
        if self.type == "duckdb":
            import duckdb

            path = self.credentials["path"]
            local = "://" not in path and not path.startswith("md:")
            if local and not read_only:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            try:
                return duckdb.connect(path, read_only=read_only)
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower():
                    raise ConnectError(f"DuckDB file {path} is locked by another process (a dbt run, a notebook, "
                                       f"a SQL client?); close it and retry.\n  duckdb: {first_line(exc)}") from exc
                raise ConnectError(f"cannot open DuckDB file {path}: {first_line(exc)}") from exc
        import psycopg2

        creds = dict(self.credentials)
        if connect_timeout is not None:
            creds.setdefault("connect_timeout", connect_timeout)
        try:
            return psycopg2.connect(**creds)
        except psycopg2.OperationalError as exc:
            raise ConnectError(f"cannot connect to Postgres for target '{self.name}' ({self.describe()}): "
                               f"{first_line(exc)}") from exc


def duckdb_file(path: str | Path, schema: str = "") -> Target:
    """A target for an explicit DuckDB file (no profile involved)."""
    return Target("duckdb-file", "duckdb", schema, {"path": str(Path(path).expanduser().resolve())}, None)


# ------------------------------------------------------------------- profiles
def find_profiles(profiles_dir: str | Path | None, env: Mapping[str, str]) -> Path:
    """profiles.yml from --profiles-dir, $DBT_PROFILES_DIR, the cwd or ~/.dbt (dbt's order)."""
    for explicit, origin in ((profiles_dir, "--profiles-dir"), (env.get("DBT_PROFILES_DIR"), "DBT_PROFILES_DIR")):
        if explicit:
            path = Path(explicit).expanduser() / "profiles.yml"
            if not path.is_file():
                raise ProfilesNotFound(f"no profiles.yml in {Path(explicit).expanduser()} (from {origin})")
            return path
    for candidate in (Path.cwd() / "profiles.yml", Path.home() / ".dbt" / "profiles.yml"):
        if candidate.is_file():
            return candidate
    raise ProfilesNotFound("no profiles.yml found (looked in --profiles-dir, $DBT_PROFILES_DIR, the current "
                           "directory and ~/.dbt); copy profiles.yml.example to profiles.yml")


def _as_number(value: Any) -> int | float:
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        return float(text)


def _as_bool(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def make_renderer(env: Mapping[str, str]) -> Callable[[Any], Any]:
    """Render profile values like dbt: env_var(name, default) and as_number/as_bool/as_text."""
    import jinja2  # installed with dbt-core; imported lazily to keep --help fast

    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise ConfigError(f"profiles.yml needs environment variable {name}, which is not set")

    jenv = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    jenv.globals["env_var"] = env_var
    jenv.filters.update(as_number=_as_number, as_bool=_as_bool, as_text=str, as_native=lambda v: v)

    def render(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return jenv.from_string(value).render()
            except jinja2.TemplateError as exc:
                raise ConfigError(f"cannot render profile value {value!r}: {exc}") from exc
        if isinstance(value, dict):
            return {k: render(v) for k, v in value.items()}
        if isinstance(value, list):
            return [render(v) for v in value]
        return value

    return render


def project_profile_name(project_dir: Path = PROJECT_DIR) -> str:
    """The ``profile:`` of dbt_project.yml."""
    doc = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    if not doc.get("profile"):
        raise ConfigError(f"{project_dir / 'dbt_project.yml'} names no profile")
    return str(doc["profile"])


def _credentials(kind: str, output: dict[str, Any], name: str, env: Mapping[str, str]) -> dict[str, Any]:
    if kind == "duckdb":
        path = str(output.get("path") or ":memory:")
        if path == ":memory:" or path.startswith(":memory:"):
            raise ConfigError(f"target '{name}' is an in-memory DuckDB; there is nothing to connect to")
        if "://" not in path and not path.startswith("md:"):
            path = str(Path(path).expanduser().resolve())
        return {"path": path}
    creds = {
        "host": output.get("host", env.get("PGHOST", "localhost")),
        "port": int(_as_number(output.get("port", 5432))),
        "user": output.get("user") or output.get("username"),
        "password": output.get("password", output.get("pass", "")),
        "dbname": output.get("dbname", output.get("database")),
    }
    for key in ("sslmode", "sslcert", "sslkey", "sslrootcert", "connect_timeout"):
        if output.get(key) not in (None, ""):
            creds[key] = output[key]
    missing = [k for k in ("host", "user", "dbname") if not creds.get(k)]
    if missing:
        raise ConfigError(f"target '{name}' lacks {', '.join(missing)}")
    return creds


def resolve_target(target: str | None = None, profiles_dir: str | Path | None = None, *,
                   profile: str | None = None, env: Mapping[str, str] | None = None,
                   project_dir: Path = PROJECT_DIR, profiles_file: str | Path | None = None) -> Target:
    """Resolve a dbt target to connection values, the way dbt itself would.

    ``profiles_file`` names the file outright (e.g. profiles.yml.example) instead of dbt's lookup.
    Raises ConfigError (ProfilesNotFound when there is no profiles.yml) with a readable message.
    """
    env = os.environ if env is None else env
    path = Path(profiles_file) if profiles_file else find_profiles(profiles_dir, env)
    profile = profile or project_profile_name(project_dir)
    try:
        profiles = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    if profile not in profiles:
        raise ConfigError(f"profile '{profile}' not found in {path}; profiles there: "
                          f"{', '.join(k for k in profiles if k != 'config') or 'none'}")
    render = make_renderer(env)
    outputs = profiles[profile].get("outputs") or {}
    available = ", ".join(outputs) or "none"
    name = target or env.get("DBT_TARGET") or render(profiles[profile].get("target"))
    if not name:
        raise ConfigError(f"no --target given and profile '{profile}' has no default target; targets: {available}")
    if name not in outputs:
        raise ConfigError(f"target '{name}' not found in profile '{profile}' ({path}); "
                          f"targets that exist: {available}")
    output = render(outputs[name])
    kind = str(output.get("type", ""))
    if kind not in SUPPORTED_TYPES:
        raise ConfigError(f"target '{name}' has type '{kind}', the project's scripts support "
                          f"{' and '.join(SUPPORTED_TYPES)}; targets that exist: {available}")
    schema = str(output.get("schema") or "")
    if not schema:
        raise ConfigError(f"target '{name}' has no schema")
    return Target(name, kind, schema, _credentials(kind, output, name, env), path)


def project_target(target: str | None = None, *, env: Mapping[str, str] | None = None,
                   project_dir: Path = PROJECT_DIR) -> Target:
    """A target as dbt finds the profiles, else (no profiles.yml yet) as profiles.yml.example defines it."""
    try:
        return resolve_target(target, env=env, project_dir=project_dir)
    except ProfilesNotFound:
        return resolve_target(target, env=env, project_dir=project_dir,
                              profiles_file=project_dir / EXAMPLE_PROFILES.name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="connections.py", description="Print the dbt target the scripts would use.")
    ap.add_argument("--target", help="dbt target (default: $DBT_TARGET, else the profile's target)")
    ap.add_argument("--profiles-dir", help="directory of profiles.yml (default: $DBT_PROFILES_DIR, the current "
                                           "directory, ~/.dbt)")
    args = ap.parse_args(argv)
    try:
        t = resolve_target(args.target, args.profiles_dir)
    except ConfigError as exc:
        print(f"connections.py: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"{t.describe()}\nschema prefix {t.schema} (raw schema {t.raw_schema})\nprofiles {t.profiles_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
