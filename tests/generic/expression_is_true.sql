{#- Rows where a boolean SQL expression is not true (dbt-core only; same
    contract as dbt_utils.expression_is_true, which needs the package). -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
