#!/usr/bin/env python3
"""Exit 0 when the Postgres of the `pg` target accepts connections, else 1.

The target is read by scripts/connections.py like dbt reads it ($DBT_PROFILES_DIR, the current
directory, ~/.dbt), else from profiles.yml.example: PG* variables with local defaults.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import connections  # noqa: E402


def main() -> int:
    try:
        connections.project_target("pg").connect(connect_timeout=5).close()
        return 0
    except connections.ConnectionsError as exc:
        print(f"Postgres not reachable: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
