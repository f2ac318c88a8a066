{#-
    Elementary writes everything it records (dbt_tests, dbt_columns, dbt_models, run and test results, metrics)
    with elementary.insert_rows, which renders every cell to SQL through three Jinja macro calls: on the sample
    build that alone took 47 s for dbt_columns' 1,620 rows and over a minute for dbt_tests (logs/dbt.log,
    "render_row_to_sql"). insert_rows is dispatched (namespace elementary, this project first, dbt_project.yml):
    on DuckDB and Postgres this version sends each chunk as ONE JSON array literal (tojson, native Python) and
    lets the database unpack it, casting each field to the column's type; the rows land exactly as
    Elementary's own insert would put them (created_at = now, nested values as JSON text). Other adapters, and
    rows tojson cannot serialise, use Elementary's own implementation.
-#}
{% macro default__insert_rows(table_relation, rows, should_commit=false, chunk_size=5000, on_query_exceed=none) %}
    {%- if target.type not in ['duckdb', 'postgres'] -%}
        {{ return(elementary.default__insert_rows(table_relation, rows, should_commit, chunk_size, on_query_exceed)) }}
    {%- endif -%}
    {%- if not rows -%}{{ return(none) }}{%- endif -%}
    {%- if not table_relation -%}
        {%- do elementary.warn_missing_elementary_models() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(table_relation) -%}
    {%- if not columns -%}
        {{ return(elementary.default__insert_rows(table_relation, rows, should_commit, chunk_size, on_query_exceed)) }}
    {%- endif -%}
    {#- undefined values are null (as in Elementary's render_value); json.dumps cannot write dates and times:
        as text (Elementary's own insert would write null) -#}
    {%- for row in rows -%}
        {%- for key, value in row.items() -%}
            {%- if value is not defined -%}
                {%- do row.update({key: none}) -%}
            {%- elif value is not none and value is not number and value is not string and value is not mapping and value is not sequence -%}
                {%- do row.update({key: value | string}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set chunks = [] -%}
    {%- for chunk in rows | batch(1000) -%}
        {%- set payload = tojson(chunk) -%}
        {%- if payload is none -%}
            {{ return(elementary.default__insert_rows(table_relation, rows, should_commit, chunk_size, on_query_exceed)) }}
        {%- endif -%}
        {%- do chunks.append(payload) -%}
    {%- endfor -%}
    {%- do elementary.file_log("Inserting {} rows to table {} as JSON ({} chunks)".format(rows | length, table_relation, chunks | length)) -%}
    {%- for payload in chunks -%}
        {%- set literal = "'" ~ (payload | replace("'", "''")) ~ "'" -%}
        {%- set query -%}
            insert into {{ table_relation }} (
                {%- for column in columns %}{{ elementary.escape_reserved_keywords(column.name) }}{{ ", " if not loop.last }}{% endfor -%}
            )
            select
            {%- for column in columns %}
                {% if column.name | lower == 'created_at' -%}
                    {{ elementary.edr_current_timestamp() }}
                {%- else -%}
                    cast(r.value ->> '{{ column.name }}' as {{ column.data_type }})
                {%- endif %}{{ "," if not loop.last }}
            {%- endfor %}
            {% if target.type == 'postgres' -%}
            from json_array_elements(cast({{ literal }} as json)) as r(value)
            {%- else -%}
            from (select unnest(cast({{ literal }} as json[])) as value) as r
            {%- endif %}
        {%- endset -%}
        {%- do elementary.run_query(query) -%}
    {%- endfor -%}
    {%- if should_commit -%}{%- do adapter.commit() -%}{%- endif -%}
{% endmacro %}
