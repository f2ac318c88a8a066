"""Every dbt var is declared once, in dbt_project.yml, and used; code gives no second default.

Vars are thresholds and run switches only; reference data lives in seeds. The scan covers the
project's own Jinja (models, macros, tests, analyses, snapshots, seeds' YAML and dbt_project.yml
itself). Exempt: vars scoped to a package (the `dbt_project_evaluator:` block) and namespaced
package vars such as `dbt_date:time_zone`, which packages read, not this project.

dbt renders dbt_project.yml before it knows the project's vars, so a var used there must carry a default;
that default must then equal the declared value (checked), and only there.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ["models", "macros", "tests", "analyses", "snapshots", "seeds"]
# var('name') or var("name"), not env_var(...); group 2 is what follows the name
VAR_USE = re.compile(r"(?<![\w.])var\(\s*['\"]([A-Za-z0-9_:]+)['\"]\s*(\)|,)")
# in dbt_project.yml: var('name', default) with a literal default
PROJECT_DEFAULT = re.compile(r"(?<![\w.])var\(\s*'([A-Za-z0-9_]+)'\s*,\s*([^)]*?)\s*\)")


def declared_vars(project: dict) -> set[str]:
    return {name for name, value in (project.get("vars") or {}).items()
            if ":" not in name and not (isinstance(value, dict) and name in PACKAGE_SCOPES)}


PACKAGE_SCOPES = {"dbt_project_evaluator", "elementary", "dbt_utils", "dbt_expectations", "dbt_date"}


def uses(text: str) -> list[tuple[str, bool]]:
    """(name, has_second_default) for every var() call in a text."""
    return [(m.group(1), m.group(2) == ",") for m in VAR_USE.finditer(text)]


def scan(root: Path) -> tuple[dict[str, list[str]], list[str]]:
    used: dict[str, list[str]] = {}
    defaults: list[str] = []
    files = [root / "dbt_project.yml"] + [p for d in SCANNED for p in sorted((root / d).rglob("*"))
                                          if p.suffix in (".sql", ".yml", ".yaml", ".md")]
    for path in files:
        if "sample" in path.parts and path.suffix == ".csv":
            continue
        for name, has_default in uses(path.read_text(encoding="utf-8")):
            if ":" in name:
                continue
            used.setdefault(name, []).append(str(path.relative_to(root)))
            if has_default and path.name != "dbt_project.yml":
                defaults.append(f"{path.relative_to(root)}: var('{name}', ...)")
    return used, defaults


def check(root: Path) -> list[str]:
    project = yaml.safe_load((root / "dbt_project.yml").read_text(encoding="utf-8"))
    declared = declared_vars(project)
    used, defaults = scan(root)
    problems = [f"var '{n}' is used ({', '.join(sorted(set(used[n])))}) but not declared in dbt_project.yml"
                for n in sorted(set(used) - declared)]
    problems += [f"var '{n}' is declared in dbt_project.yml but never used" for n in sorted(declared - set(used))]
    problems += [f"second default in code (declare it in dbt_project.yml instead): {d}" for d in defaults]
    text = (root / "dbt_project.yml").read_text(encoding="utf-8")
    for name, default in PROJECT_DEFAULT.findall(text):
        value = yaml.safe_load(default.replace("'", '"')) if default else None
        if name in declared and value != project["vars"][name]:
            problems.append(f"dbt_project.yml: var('{name}', {default}) differs from its declared value "
                            f"{project['vars'][name]!r}")
    return problems


def test_every_var_declared_once_and_used():
    problems = check(ROOT)
    assert not problems, "\n".join(problems)


def test_regex_finds_uses_and_defaults_but_not_env_vars():
    text = "{{ var('a') }} {{ var(\"b\", 3) }} {{ env_var('C') }} {{ var( 'd' ) }} {{ x.var('e') }}"
    assert uses(text) == [("a", False), ("b", True), ("d", False)]


@pytest.mark.parametrize("mutation, expected", [
    ("{{ var('not_declared_anywhere') }}", "var 'not_declared_anywhere' is used"),
    ("{{ var('as_of', '') }}", "second default in code"),
])
def test_check_fails_on_a_mutated_project(tmp_path, mutation, expected):
    """The check is not a tautology: an undeclared var or a second default in a copy of the project fails it."""
    for name in ["dbt_project.yml", *SCANNED]:
        src = ROOT / name
        dst = tmp_path / name
        if src.is_dir():
            import shutil
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("sample", "*.csv"))
        else:
            dst.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    assert check(tmp_path) == []
    (tmp_path / "models" / "mutant.sql").write_text(f"select {mutation} as x\n", encoding="utf-8")
    assert any(expected in p for p in check(tmp_path)), check(tmp_path)


def test_check_fails_on_a_declared_but_unused_var(tmp_path):
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    project["vars"]["never_used_anywhere"] = 1
    (tmp_path / "dbt_project.yml").write_text(yaml.safe_dump(project), encoding="utf-8")
    for d in SCANNED:
        (tmp_path / d).mkdir()
    assert "var 'never_used_anywhere' is declared in dbt_project.yml but never used" in check(tmp_path)
