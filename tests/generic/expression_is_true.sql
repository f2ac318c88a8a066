{#-
    Rows where a boolean SQL expression is not true: false, and also NULL.
    dbt_utils.expression_is_true selects `where not (expression)`, so a row
    whose expression is NULL (a NULL credit, timestamp or ratio: something not
    computed) passes there; here it fails. An expression over a column that
    may legitimately be NULL says so itself (`age is null or age between 0 and
    120`). With column_name (a column-level test) the expression is about that
    column, as in dbt_utils.
-#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
