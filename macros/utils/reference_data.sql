{#-
    Reference data lives in seeds (seeds/reference/): accepted values, calling
    codes, the channel taxonomy, lifecycle stages, the rule catalogue and the
    required fields of the rule registry. SQL joins a seed where it can; a
    macro that must generate SQL from one (a code list for `in (...)`, a case
    per calling code, a rule column per rule) reads it here.

    reference_rows(seed_name, order_by): the seed's rows as a list of dicts
    (column names lower case), read when dbt executes the node. The ref() makes
    the seed a parent of every node that calls this, so `dbt build` loads the
    seed first. While dbt parses the project nothing is read (an empty list):
    parsing only needs the refs, not the SQL. When executing, the seed's table
    is found through its node in the graph (in a unit test, which has no graph,
    in the reference seeds' schema), not through ref(), so the rows are the
    real reference data in unit tests too, where ref() knows only the mocked
    inputs.

    A seed not yet loaded fails the node with what to run; it happens only when
    compiling against an empty warehouse (`make lint` loads the reference seeds
    first).
-#}
{% macro reference_rows(seed_name, order_by) -%}
    {%- if not execute -%}
        {%- do ref(seed_name) -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set nodes = graph.get('nodes', {}) -%}
    {%- set seed = nodes.values() | selectattr('resource_type', 'equalto', 'seed')
        | selectattr('name', 'equalto', seed_name) | first if nodes else none -%}
    {%- if seed -%}
        {%- set location = {'database': seed.database, 'schema': seed.schema, 'identifier': seed.alias} -%}
    {%- else -%}
        {#- a unit test's context has no graph: the reference seeds' schema (seeds/reference, +schema: reference) -#}
        {%- set location = {'database': target.database, 'schema': generate_schema_name('reference', none) | trim,
            'identifier': seed_name} -%}
    {%- endif -%}
    {%- set relation = adapter.get_relation(**location) -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error("reference seed '" ~ seed_name ~ "' is not loaded in schema " ~ location.schema
            ~ ": run `dbt seed --select " ~ seed_name ~ "` first (`dbt build` and `make build` do)") }}
    {%- endif -%}
    {%- set result = run_query('select * from ' ~ relation ~ ' order by ' ~ order_by) -%}
    {%- set rows = [] -%}
    {%- for row in result.rows -%}
        {%- set item = {} -%}
        {%- for name in result.column_names -%}
            {%- do item.update({name | lower: row[name]}) -%}
        {%- endfor -%}
        {%- do rows.append(item) -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}

{#-
    accepted_values_of(domain): the codes of one domain of seed accepted_values,
    in sort_order. An unknown domain fails the node (at execution; parsing
    gets an empty list).
-#}
{% macro accepted_values_of(domain) -%}
    {%- set values = [] -%}
    {%- for row in reference_rows('accepted_values', 'domain, sort_order') if row.domain == domain -%}
        {%- do values.append(row.value) -%}
    {%- endfor -%}
    {%- if execute and values | length == 0 -%}
        {{ exceptions.raise_compiler_error("seed accepted_values has no domain '" ~ domain ~ "' (seeds/reference/accepted_values.csv)") }}
    {%- endif -%}
    {{ return(values) }}
{%- endmacro %}
