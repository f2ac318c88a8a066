{#-
    The raw table a staging model reads. With the sample data (var
    load_sample_data, default true) the raw tables are dbt seeds, so this also
    records a dependency on the seed: a plain `dbt build` loads the seeds
    before the views that read them. With a real delivery loaded by
    scripts/load_raw.py, run with load_sample_data=false: the seeds are
    disabled and never overwrite the delivery.
-#}
{% macro raw_source(source_name, table_name) %}
    {%- if var('load_sample_data') -%}
        {%- do ref(table_name) -%}
    {%- endif -%}
    {{ return(source(source_name, table_name)) }}
{% endmacro %}
