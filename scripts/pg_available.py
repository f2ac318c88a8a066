#!/usr/bin/env python3
"""Exit 0 when the Postgres of the `pg` target (PG* variables, local defaults) accepts connections, else 1."""
import os
import sys

import psycopg2


def main() -> int:
    try:
        psycopg2.connect(host=os.environ.get("PGHOST", "127.0.0.1"), port=int(os.environ.get("PGPORT", "5432")),
                         user=os.environ.get("PGUSER", "postgres"), password=os.environ.get("PGPASSWORD", ""),
                         dbname=os.environ.get("PGDATABASE", "postgres"), connect_timeout=5).close()
        return 0
    except psycopg2.OperationalError as exc:
        print(f"Postgres not reachable: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
