"""GEN-06 by roles, on Postgres: each role reads what it is granted and nothing else (issue 9, point 5).

The warehouse `make test` built on Postgres carries dbt's grants (dbt_project.yml, per layer) and the run-end
schema grants (macros/privacy/roles.sql). For each role, a session as that role (`set role`, from the test's
superuser connection) must be able to select from what it is granted and get "permission denied" everywhere else.
"""
from __future__ import annotations

import pytest

from conftest import postgres_params, require_postgres

pytestmark = pytest.mark.postgres

# (layer, relation) of the warehouse, sampled from every layer
RELATIONS = {
    "raw": ("raw", "crm_customers"),
    "staging": ("staging", "stg_crm__customers"),
    "bronze": ("bronze", "brz_crm__customers"),
    "silver": ("silver", "slv_customer_profiles"),
    "snapshots": ("snapshots", "snp_customer_states"),
    "rejected_rows": ("dq", "dq_rejected_rows"),
    "dq_report": ("dq", "dq_rule_summary"),
    "reference": ("reference", "accepted_values"),
    "gold": ("gold", "dim_customer"),
    "audience": ("gold", "aud_email_marketing"),
}
CAN_READ = {
    "analyst": {"dq_report", "reference", "gold", "audience"},
    "marketing": {"reference", "audience"},
    "pii_reader": set(RELATIONS),
    "loader": {"raw"},
}


def can_select(role: str, schema: str, table: str) -> bool:
    import psycopg2
    from psycopg2 import errors

    conn = psycopg2.connect(**postgres_params())
    try:
        with conn.cursor() as cur:
            cur.execute(f"set role {role}")
            try:
                cur.execute(f'select count(*) from "{schema}"."{table}"')
                cur.fetchone()
                return True
            except errors.InsufficientPrivilege:
                return False
    finally:
        conn.rollback()
        conn.close()


@pytest.fixture(scope="module")
def prefix(postgres_warehouse):
    require_postgres()
    return postgres_warehouse.prefix


@pytest.mark.parametrize("role", sorted(CAN_READ))
def test_each_role_reads_exactly_what_it_is_granted(prefix, role):
    readable = {name for name, (layer, table) in RELATIONS.items()
                if can_select(role, f"{prefix}_{layer}", table)}
    assert readable == CAN_READ[role]


def test_loader_writes_raw_and_nobody_else_does(prefix):
    import psycopg2
    from psycopg2 import errors

    def can_insert(role: str) -> bool:
        conn = psycopg2.connect(**postgres_params())
        try:
            with conn.cursor() as cur:
                cur.execute(f"set role {role}")
                try:
                    cur.execute(f'insert into "{prefix}_raw"."crm_customers" (customer_id) values (%s)', ("CRM-TEST",))
                    return True
                except errors.InsufficientPrivilege:
                    return False
        finally:
            conn.rollback()  # nothing is kept
            conn.close()

    assert {role: can_insert(role) for role in CAN_READ} == {
        "analyst": False, "marketing": False, "pii_reader": False, "loader": True}
