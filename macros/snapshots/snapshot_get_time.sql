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

    Consequence: runs must use increasing as_of values. Re-running with the same
    as_of after the data changed would give a version that starts and ends at the
    same instant; the snapshot tests (one current row, no overlaps, no gaps) catch it.
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
