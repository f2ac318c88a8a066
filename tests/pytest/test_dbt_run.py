"""scripts/dbt_run.py: the offline package fallback and the package lock check (make check-packages, CI).

The check must fail whenever the real packages are not in use (placeholders, a missing package, code that differs
from packages.lock.yml, a locked version outside packages.yml's range) and pass on the local mirror
../shared/dbt_packages/project/, which holds the releases the lock names.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MIRROR = ROOT.parent / "shared" / "dbt_packages" / "project"


@pytest.fixture
def dbt_run(import_script, monkeypatch):
    module = import_script("dbt_run")
    monkeypatch.delenv("DBT_PACKAGES_INSTALL_PATH", raising=False)
    return module


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's package declarations with an empty dbt_packages/."""
    for name in ("packages.yml", "packages.lock.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "dbt_packages").mkdir()
    return tmp_path


def need_mirror() -> None:
    if not (MIRROR / "elementary" / "dbt_project.yml").exists():
        pytest.skip(f"the package mirror {MIRROR} is not there (see ../shared/dbt_packages/README.md)")


def test_lock_names_every_package_and_dependency():
    lock = yaml.safe_load((ROOT / "packages.lock.yml").read_text())["packages"]
    declared = yaml.safe_load((ROOT / "packages.yml").read_text())["packages"]
    assert {p["package"] for p in declared} <= {p["package"] for p in lock}
    assert {p["name"] for p in lock} == {"dbt_utils", "dbt_expectations", "dbt_date", "elementary"}
    assert all(len(p["sha256"]) == 64 for p in lock)


def test_placeholders_fail_the_check(dbt_run, project, monkeypatch):
    monkeypatch.setenv("DBT_PACKAGES_INSTALL_PATH", str(project / "dbt_packages"))
    dbt_run.write_placeholders("offline in a test")
    problems = dbt_run.check_packages(project)
    assert any("placeholder" in p for p in problems), problems
    assert dbt_run.missing_packages() == list(dbt_run.PACKAGES)


def test_nothing_installed_fails_the_check(dbt_run, project):
    problems = dbt_run.check_packages(project)
    assert sum("not installed" in p for p in problems) == 4, problems


def test_mirror_copy_passes_the_check(dbt_run, project, monkeypatch):
    need_mirror()
    monkeypatch.setenv("DBT_PACKAGES_INSTALL_PATH", str(project / "dbt_packages"))
    monkeypatch.setattr(dbt_run, "MIRROR", MIRROR)
    assert sorted(dbt_run.install_from_mirror()) == ["dbt_date", "dbt_expectations", "dbt_utils", "elementary"]
    assert dbt_run.check_packages(project) == []
    assert dbt_run.missing_packages() == []


def test_changed_package_code_fails_the_check(dbt_run, project):
    need_mirror()
    shutil.copytree(MIRROR, project / "dbt_packages", dirs_exist_ok=True)
    macro = next((project / "dbt_packages" / "dbt_utils" / "macros").rglob("*.sql"))
    macro.write_text(macro.read_text() + "\n-- edited\n")
    problems = dbt_run.check_packages(project)
    assert len(problems) == 1 and problems[0].startswith("dbt_utils: installed code differs"), problems


def test_readme_and_license_do_not_count(dbt_run, project):
    """The hash covers what dbt reads, so the hub's tarball (with docs, CI files) and the trimmed mirror agree."""
    need_mirror()
    shutil.copytree(MIRROR, project / "dbt_packages", dirs_exist_ok=True)
    (project / "dbt_packages" / "elementary" / "README.md").write_text("other readme")
    (project / "dbt_packages" / "elementary" / "integration_tests").mkdir()
    (project / "dbt_packages" / "elementary" / "integration_tests" / "x.sql").write_text("select 1")
    assert dbt_run.check_packages(project) == []


def test_unlocked_package_and_out_of_range_version_fail(dbt_run, project):
    need_mirror()
    shutil.copytree(MIRROR, project / "dbt_packages", dirs_exist_ok=True)
    shutil.copytree(MIRROR / "dbt_date", project / "dbt_packages" / "stray_package")
    declared = yaml.safe_load((project / "packages.yml").read_text())
    declared["packages"][0]["version"] = [">=2.0.0", "<3.0.0"]
    (project / "packages.yml").write_text(yaml.safe_dump(declared))
    problems = dbt_run.check_packages(project)
    assert any("stray_package" in p for p in problems), problems
    assert any("outside packages.yml's range" in p for p in problems), problems


@pytest.mark.parametrize("version, spec, ok", [
    ("1.4.1", "1.4.1", True), ("1.4.1", [">=1.3.0", "<2.0.0"], True), ("0.21.0", [">=0.9.0", "<1.0.0"], True),
    ("0.25.1", [">=0.26.0"], False), ("1.4.1", "1.4.0", False),
])
def test_version_in_range(dbt_run, version, spec, ok):
    assert dbt_run.version_in_range(version, spec) is ok


def test_installed_packages_are_the_real_ones(dbt_run):
    """What `make test` runs on: the project's own dbt_packages/ must pass the check."""
    problems = dbt_run.check_packages(ROOT)
    assert not problems, "\n".join(problems)
