{#-
    dbt run-operation drop_dev_schemas [--target T]
    Drops every schema of this developer's prefix (target.schema and
    target.schema_*), for a clean rebuild. Refuses to run on prod.
-#}
{% macro drop_dev_schemas(dry_run=false) %}
    {%- if target.name == 'prod' -%}
        {{ exceptions.raise_compiler_error("drop_dev_schemas refuses to run on the prod target") }}
    {%- endif -%}
    {%- set prefix = target.schema | lower -%}
    {%- set query -%}
        select distinct schema_name
        from information_schema.schemata
        where lower(schema_name) = '{{ prefix }}' or lower(schema_name) like '{{ prefix }}\_%' escape '\'
    {%- endset -%}
    {%- set schemas = run_query(query).columns[0].values() -%}
    {%- for schema in schemas -%}
        {%- if not dry_run -%}
            {%- do adapter.drop_schema(api.Relation.create(database=target.database, schema=schema)) -%}
        {%- endif -%}
        {{ log(("would drop " if dry_run else "dropped ") ~ "schema " ~ schema, info=true) }}
    {%- endfor -%}
    {{ log(schemas | length ~ " schema(s) with prefix " ~ prefix, info=true) }}
{% endmacro %}
