{#-
    Post-hook of every model (dbt_project.yml): refresh the planner statistics
    of a table just built. Postgres only collects them through autovacuum, which
    may be off or late; without them a freshly created table looks empty to the
    planner, which then picks nested loops (a 4,000-order join took 3 s instead
    of 50 ms on the sample, and grows quadratically). DuckDB keeps statistics as
    it writes: nothing to do. Views have no statistics.
-#}
{% macro analyze_table() -%}
    {{ return(adapter.dispatch('analyze_table', 'customer_analytics')()) }}
{%- endmacro %}

{% macro default__analyze_table() -%}
{%- endmacro %}

{% macro duckdb__analyze_table() -%}
{%- endmacro %}

{% macro postgres__analyze_table() -%}
    {%- if config.get('materialized') in ('table', 'incremental') -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
