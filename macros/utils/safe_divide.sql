{#-
    numerator / denominator, null when the denominator is 0 or null (a ratio
    with nothing to divide by is unknown, not 0 or an error). Decimal division
    on every engine: the numerator is multiplied by 1.0 so integer counts do
    not divide as integers.
-#}
{% macro safe_divide(numerator, denominator) -%}
    ((1.0 * ({{ numerator }})) / nullif({{ denominator }}, 0))
{%- endmacro %}
