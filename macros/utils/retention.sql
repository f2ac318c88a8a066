{#-
    GEN-03: the oldest time silver and gold may hold, var dq_retention_years
    (5) before the run's as_of. Models filter their event times on it; the
    generic test dda_gen_03_retention checks it.
-#}
{% macro retention_cutoff() -%}
    {{ dbt.dateadd('year', -1 * var('dq_retention_years'), as_of_timestamp()) }}
{%- endmacro %}
