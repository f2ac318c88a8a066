{#-
    Who may read what (GEN-06), on Postgres. Four roles (no login: people and
    services are granted them):

      analyst      gold (PII masked outside prod), the delivery-quality report
                   (not the rejected rows' details), the reference seeds
      marketing    the audiences
      pii_reader   everything, unmasked: raw, staging, bronze, silver,
                   snapshots, rejected rows
      loader       writes the raw schema (scripts/load_raw.py)

    The grants on tables and views are dbt's `grants` config, per layer in
    dbt_project.yml (dq_rejected_rows narrows its own). dbt grants on
    relations only, so the run-end hook grant_schema_usage() grants USAGE on
    each schema to the roles granted something in it. On DuckDB, which has no
    roles, grants are skipped (duckdb__apply_grants below).

    `dbt run-operation create_roles --target pg` creates the roles; every
    build on Postgres runs it first (on-run-start), and it is idempotent.
-#}
{% macro analytics_roles() -%}
    {{ return(['analyst', 'marketing', 'pii_reader', 'loader']) }}
{%- endmacro %}

{% macro create_roles() -%}
    {%- if target.type != 'postgres' -%}
        {%- do log('create_roles: ' ~ target.type ~ ' has no roles; nothing to do', info=true) -%}
        {{ return('') }}
    {%- endif -%}
    {%- for role in analytics_roles() -%}
        {%- set sql -%}
        do $$
        begin
            create role {{ role }} nologin;
        exception when duplicate_object then null;
        end
        $$
        {%- endset -%}
        {%- do run_query(sql) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}

{#- on-run-end (Postgres): USAGE on every schema to the roles granted a relation in it; loader may write raw. -#}
{% macro grant_schema_usage() -%}
    {%- if target.type != 'postgres' or not execute -%}{{ return('') }}{%- endif -%}
    {%- set usage = {} -%}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'seed', 'snapshot'] -%}
        {%- for privilege, grantees in (node.config.grants or {}).items() -%}
            {%- for grantee in ([grantees] if grantees is string else grantees) -%}
                {%- do usage.setdefault(node.schema, []).append(grantee) if grantee not in usage.get(node.schema, []) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for schema, grantees in usage.items() -%}
        {%- if adapter.check_schema_exists(target.database, schema) -%}
            {%- do statements.append('grant usage on schema ' ~ adapter.quote(schema) ~ ' to ' ~ grantees | join(', ')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set raw = generate_schema_name('raw', none) | trim -%}
    {%- if adapter.check_schema_exists(target.database, raw) -%}
        {%- do statements.append('grant usage, create on schema ' ~ adapter.quote(raw) ~ ' to loader') -%}
        {%- do statements.append('grant select, insert, update, delete, truncate on all tables in schema ' ~ adapter.quote(raw) ~ ' to loader') -%}
        {%- do statements.append('grant select on all tables in schema ' ~ adapter.quote(raw) ~ ' to pii_reader') -%}
        {%- do statements.append('grant usage on schema ' ~ adapter.quote(raw) ~ ' to pii_reader') -%}
    {%- endif -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {%- do run_query('commit') -%}
    {{ return('') }}
{%- endmacro %}

{#- DuckDB has no roles or GRANT: a grants config is accepted and skipped. -#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) -%}
{%- endmacro %}
