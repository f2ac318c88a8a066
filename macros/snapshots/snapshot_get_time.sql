{#-
    Snapshot time = the run's as_of (var as_of; the wall clock when it is empty).

    dbt stamps snapshot versions with snapshot_get_time(): dbt_valid_from and
    dbt_updated_at of a new version (check strategy), dbt_valid_to of the version
    it replaces and of a row that disappeared (hard_deletes: invalidate). By
    default that is the wall clock, which would make the history of a pinned
    sample run depend on the day it was built. These overrides of dbt's
    dispatched macro (the root project is searched before the adapter) make
    every snapshot timestamp the reference time of the run, so a snapshot taken
    with as_of = 2026-03-31 says "valid from 2026-03-31".

    Consequence: versions follow the as_of values of the runs. A run at an as_of
    the snapshot has already recorded replaces that record (pre-hooks below),
    so rebuilding the pinned sample twice after a change stays consistent.
-#}
{% macro postgres__snapshot_get_time() -%}
    {{ as_of_timestamp() }}
{%- endmacro %}

{% macro duckdb__snapshot_get_time() -%}
    {{ as_of_timestamp() }}
{%- endmacro %}

{% macro default__snapshot_get_time() -%}
    {{ as_of_timestamp() }}
{%- endmacro %}

{#-
    Pre-hooks of the snapshots: make a run at an as_of the snapshot has already
    seen replace what that run recorded, instead of stacking a zero-length
    version on it. Versions that start at or after as_of are deleted and the
    versions they had closed are reopened; the snapshot then records the state
    at as_of again. A run with a later as_of (every production run: as_of empty =
    now) deletes nothing. Replaying an earlier as_of rewinds the history to it.
    Two statements (one per hook) because not every adapter runs two in one call.
-#}
{% macro snapshot_rewind_delete() -%}
    {%- if execute and adapter.get_relation(this.database, this.schema, this.identifier) is not none -%}
        delete from {{ this }} where dbt_valid_from >= {{ as_of_timestamp() }}
    {%- endif -%}
{%- endmacro %}

{% macro snapshot_rewind_reopen() -%}
    {%- if execute and adapter.get_relation(this.database, this.schema, this.identifier) is not none -%}
        update {{ this }} set dbt_valid_to = null where dbt_valid_to >= {{ as_of_timestamp() }}
    {%- endif -%}
{%- endmacro %}
