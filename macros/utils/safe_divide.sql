{#-
    numerator / denominator, null when the denominator is 0 or null (a ratio
    with nothing to divide by is unknown, not 0 or an error): dbt_utils.safe_divide.

    Why a wrapper and not dbt_utils.safe_divide itself: the package divides as
    given, so two integer counts divide as integers on Postgres (3 / 4 = 0).
    Every ratio of this project is a share or a rate, so the numerator is made
    decimal (1.0 *) once, here, instead of at each of the ~80 call sites.
-#}
{% macro safe_divide(numerator, denominator) -%}
    {{ dbt_utils.safe_divide('1.0 * (' ~ numerator ~ ')', denominator) }}
{%- endmacro %}
