{#-
    GEN-03: the oldest time silver and gold may hold, var dq_retention_years
    (5) before the run's as_of. Models filter their event times on it; the
    generic test dda_governance checks it (meta governance.retention).
-#}
{% macro retention_cutoff() -%}
    {{ dbt.dateadd('year', -1 * var('dq_retention_years'), as_of_timestamp()) }}
{%- endmacro %}

{#- A time inside the window silver and gold keep: not after as_of, not older than the retention cutoff. -#}
{% macro within_retention_window(column) -%}
    {{ column }} between {{ retention_cutoff() }} and {{ as_of_timestamp() }}
{%- endmacro %}
