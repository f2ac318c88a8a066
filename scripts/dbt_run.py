#!/usr/bin/env python3
"""Run dbt so that the project works with or without its hub packages.

Everything the project builds needs only dbt-core and the adapters. The tests
tagged ``pkg_dbt_utils``, ``pkg_dbt_expectations`` and ``pkg_elementary`` need
dbt_utils, dbt_expectations and Elementary, which ``dbt deps`` installs from
dbt Hub.

    python scripts/dbt_run.py deps            try `dbt deps`; if the hub cannot be
                                              reached, copy the local mirror
                                              ../shared/dbt_packages/project/; if
                                              neither works, install empty
                                              placeholders so dbt can still parse
    python scripts/dbt_run.py check-packages  fail unless the installed packages are
                                              the real ones of packages.lock.yml
                                              (version within packages.yml's range,
                                              sha256 of the package's code)
    python scripts/dbt_run.py lock-packages   rewrite packages.lock.yml from what is
                                              installed (after a deliberate upgrade)
    python scripts/dbt_run.py ARGS...         run `dbt ARGS...`; for build/test,
                                              exclude the tests whose package is
                                              missing and say so once

dbt refuses to start when packages.yml names more packages than dbt_packages/
holds, hence the placeholders: a directory with a dbt_project.yml and a file
named PLACEHOLDER, no code. A later successful `dbt deps` replaces them.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

# the dbt of this interpreter's environment (.venv/bin/dbt), else the one on PATH
_VENV_DBT = Path(sys.executable).parent / "dbt"
DBT = str(_VENV_DBT) if _VENV_DBT.exists() else (shutil.which("dbt") or "dbt")

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {  # package name in dbt_packages -> tag of the tests that need it
    "dbt_utils": "pkg_dbt_utils",
    "dbt_expectations": "pkg_dbt_expectations",
    "elementary": "pkg_elementary",
}
DEPS_TIMEOUT_S = 60
# Offline fallback: the public releases mirrored beside the project (../shared/dbt_packages/project),
# every folder of it (exactly what packages.yml names plus their dependencies).
MIRROR = Path(os.environ.get("DBT_PACKAGES_MIRROR", ROOT.parent / "shared" / "dbt_packages" / "project"))
LOCK = ROOT / "packages.lock.yml"
# What the hash covers: the files dbt reads from a package. The mirror keeps only these (plus LICENSE and
# README), so a hub install of the same release and the mirror's copy hash alike.
CODE_FILES = ("dbt_project.yml", "packages.yml")
CODE_DIRS = ("macros", "models", "seeds", "snapshots", "analyses", "tests/generic")


def install_path() -> Path:
    return ROOT / os.environ.get("DBT_PACKAGES_INSTALL_PATH", "dbt_packages")


def is_installed(name: str) -> bool:
    path = install_path() / name
    return (path / "dbt_project.yml").exists() and not (path / "PLACEHOLDER").exists()


def missing_packages() -> list[str]:
    return [name for name in PACKAGES if not is_installed(name)]


def write_placeholders(reason: str) -> None:
    for name in PACKAGES:
        path = install_path() / name
        if is_installed(name):
            continue
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        (path / "dbt_project.yml").write_text(
            f"# Placeholder written by scripts/dbt_run.py: {reason}\n"
            f"# The tests tagged {PACKAGES[name]} are skipped until `dbt deps` installs the real package.\n"
            f"name: {name}\nversion: \"0.0.0\"\nconfig-version: 2\n")
        (path / "PLACEHOLDER").write_text(reason + "\n")


def deps() -> int:
    """dbt deps from the hub, else the local mirror, else placeholders. Never fails the build for lack of network;
    `check-packages` (make test, CI) is what fails when the real packages are not in use."""
    if not check_packages():
        print("dbt packages: " + ", ".join(f"{p['name']} {p['version']}" for p in read_lock())
              + " installed, matching packages.lock.yml.")
        return 0
    for name in PACKAGES:  # let dbt deps start from a clean slate
        if (install_path() / name / "PLACEHOLDER").exists():
            shutil.rmtree(install_path() / name)
    try:
        proc = subprocess.run([DBT, "deps"], cwd=ROOT, capture_output=True, text=True, timeout=DEPS_TIMEOUT_S)
        ok, out = proc.returncode == 0, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired:
        ok, out = False, f"dbt deps timed out after {DEPS_TIMEOUT_S}s"
    if ok and not check_packages():
        print("dbt deps: installed the packages of packages.lock.yml from dbt Hub.")
        return 0
    lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
    cause = next((ln for ln in reversed(lines) if "rror" in ln or "timed out" in ln), lines[-1] if lines else "")
    reason = ("dbt deps could not install the hub packages (" + cause[:160] + ")" if not ok
              else "dbt deps installed packages that differ from packages.lock.yml")
    copied = install_from_mirror()
    if copied:
        print(f"dbt deps: {reason}; installed {', '.join(copied)} from {MIRROR}.")
    write_placeholders(reason)
    problems = check_packages()
    if missing_packages():
        print(skip_message())
    elif problems:
        print("WARNING: installed packages differ from packages.lock.yml:\n  - " + "\n  - ".join(problems))
    return 0


def install_from_mirror() -> list[str]:
    """Copy the mirrored releases into the package folder (a copy: CI mounts the mirror read-only)."""
    copied = []
    if not MIRROR.is_dir():
        return copied
    for src in sorted(MIRROR.iterdir()):
        name = src.name
        if not (src / "dbt_project.yml").exists():
            continue
        dst = install_path() / name
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(src, dst, copy_function=shutil.copyfile)
        for path in [dst, *dst.rglob("*")]:  # the mirror may be read-only: keep the copy writable
            path.chmod(path.stat().st_mode | 0o200)
        copied.append(name)
    return copied


def package_files(path: Path) -> list[Path]:
    files = [path / f for f in CODE_FILES if (path / f).is_file()]
    for d in CODE_DIRS:
        if (path / d).is_dir():
            files += [p for p in (path / d).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(files, key=lambda p: p.relative_to(path).as_posix())


def package_sha256(path: Path) -> str:
    """sha256 over the relative path and bytes of every code file of a package directory."""
    digest = hashlib.sha256()
    for f in package_files(path):
        digest.update(f.relative_to(path).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(f.read_bytes()).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def _yaml():
    import yaml  # dbt-core depends on PyYAML

    return yaml


def read_lock(path: Path = LOCK) -> list[dict]:
    return list((_yaml().safe_load(path.read_text(encoding="utf-8")) or {}).get("packages") or [])


def version_in_range(version: str, spec) -> bool:
    """Does version satisfy a packages.yml version (a string or a list of constraints like '>=1.3.0')?"""
    import re

    def key(v: str) -> tuple:
        return tuple(int(x) for x in re.findall(r"\d+", v)[:3])

    ops = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
           "<": lambda a, b: a < b, "=": lambda a, b: a == b, "==": lambda a, b: a == b}
    for c in ([spec] if isinstance(spec, str) else list(spec)):
        m = re.match(r"\s*(>=|<=|==|=|>|<)?\s*(\S+)", str(c))
        op, v = (m.group(1) or "="), m.group(2)
        if not ops[op](key(version), key(v)):
            return False
    return True


def check_packages(root: Path = ROOT) -> list[str]:
    """Problems that make the installed packages not the real, locked ones ([] = all good)."""
    problems = []
    lock_path = root / "packages.lock.yml"
    if not lock_path.exists():
        return [f"{lock_path.name} is missing"]
    lock = {p["name"]: p for p in read_lock(lock_path)}
    declared = _yaml().safe_load((root / "packages.yml").read_text(encoding="utf-8"))["packages"]
    for dep in declared:
        hub_id = dep.get("package", "")
        entry = next((p for p in lock.values() if p.get("package") == hub_id), None)
        if entry is None:
            problems.append(f"packages.yml names {hub_id}, which {lock_path.name} does not lock")
        elif not version_in_range(str(entry["version"]), dep.get("version", [])):
            problems.append(f"{hub_id}: locked {entry['version']} is outside packages.yml's range {dep.get('version')}")
    base = root / os.environ.get("DBT_PACKAGES_INSTALL_PATH", "dbt_packages")
    for name in sorted(lock):  # dependencies of the packages (dbt_date for dbt_expectations, ...)
        pkg_yml = base / name / "packages.yml"
        if not pkg_yml.exists() or (base / name / "PLACEHOLDER").exists():
            continue
        for dep in (_yaml().safe_load(pkg_yml.read_text(encoding="utf-8")) or {}).get("packages") or []:
            entry = next((p for p in lock.values() if p.get("package") == dep.get("package")), None)
            if entry is None:
                problems.append(f"{name} needs {dep.get('package')}, which {lock_path.name} does not lock")
            elif not version_in_range(str(entry["version"]), dep.get("version", [])):
                problems.append(f"{name} needs {dep.get('package')} {dep.get('version')}, locked {entry['version']}")
    for name, entry in sorted(lock.items()):
        path = base / name
        if (path / "PLACEHOLDER").exists():
            problems.append(f"{name}: a placeholder, not the package ({(path / 'PLACEHOLDER').read_text().strip()[:120]})")
        elif not (path / "dbt_project.yml").exists():
            problems.append(f"{name}: not installed in {base}")
        else:
            actual = package_sha256(path)
            if actual != entry["sha256"]:
                problems.append(f"{name}: installed code differs from {entry['package']} {entry['version']} "
                                f"(sha256 {actual[:12]}..., locked {entry['sha256'][:12]}...)")
    if base.is_dir():
        extra = sorted(p.name for p in base.iterdir() if p.is_dir() and p.name not in lock)
        if extra:
            problems.append(f"unlocked packages installed in {base}: {', '.join(extra)}")
    return problems


def check_packages_cli() -> int:
    problems = check_packages()
    if problems:
        print("FAIL: the real dbt packages are not in use:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        print("Run `make deps` (dbt Hub, else ../shared/dbt_packages/project/); after a deliberate upgrade, "
              "`scripts/dbt_run.py lock-packages`.", file=sys.stderr)
        return 1
    names = ", ".join(f"{p['name']} {p['version']}" for p in read_lock())
    print(f"dbt packages: {names} installed, matching packages.lock.yml.")
    return 0


def lock_packages() -> int:
    """Write packages.lock.yml from the installed packages (keeps each entry's hub id and version)."""
    old = {p["name"]: p for p in read_lock()} if LOCK.exists() else {}
    entries = []
    for name in sorted(p.name for p in install_path().iterdir() if (p / "dbt_project.yml").exists()):
        path = install_path() / name
        if (path / "PLACEHOLDER").exists():
            print(f"refusing to lock a placeholder: {name}", file=sys.stderr)
            return 1
        prev = old.get(name, {})
        if not prev.get("package") or not prev.get("version"):
            print(f"{name}: add its hub id (package) and release (version) to {LOCK.name} first", file=sys.stderr)
            return 1
        entries.append({"name": name, "package": prev["package"], "version": str(prev["version"]),
                        "sha256": package_sha256(path), "files": len(package_files(path))})
    header = ("# The dbt packages the project runs on: hub id, release and a sha256 over each package's code files\n"
              "# (dbt_project.yml, packages.yml, macros/, models/, seeds/, snapshots/, analyses/, tests/generic/).\n"
              "# Checked by `scripts/dbt_run.py check-packages` (make test, CI); rewritten by `lock-packages`.\n")
    LOCK.write_text(header + _yaml().safe_dump({"packages": entries}, sort_keys=False), encoding="utf-8")
    print(f"wrote {LOCK.name}: {', '.join(e['name'] + ' ' + e['version'] for e in entries)}")
    return 0


def skip_message() -> str:
    missing = missing_packages()
    tags = ", ".join(f"tag:{PACKAGES[m]}" for m in missing)
    return (f"NOTE: package-backed tests skipped: {', '.join(missing)} not installed "
            f"(dbt Hub unreachable or `dbt deps` not run). Excluding {tags}; "
            f"everything else builds and is tested. Run `make deps` when online to enable them.")


def with_exclusions(args: list[str]) -> list[str]:
    """Add --exclude tag:pkg_<missing> to build/test/ls commands."""
    missing = missing_packages()
    selects = args[:1] in (["build"], ["test"], ["list"], ["ls"], ["compile"]) or args[:2] == ["docs", "generate"]
    if not missing or not selects:
        return args
    tags = [f"tag:{PACKAGES[m]}" for m in missing]
    out = list(args)
    if "--exclude" in out:
        i = out.index("--exclude") + 1
        while i < len(out) and not out[i].startswith("-"):
            i += 1
        out[i:i] = tags
    else:
        out += ["--exclude", *tags]
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    if argv[0] == "deps":
        return deps()
    if argv[0] == "check-packages":
        return check_packages_cli()
    if argv[0] == "lock-packages":
        return lock_packages()
    if missing_packages() and not (install_path() / next(iter(PACKAGES))).exists():
        deps()  # first run on a fresh clone: packages.yml must be satisfiable
    args = with_exclusions(argv)
    if args is not argv and args != argv:
        print(skip_message(), flush=True)
    return subprocess.call([DBT, *args], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
