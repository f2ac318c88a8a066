{#-
    accepted_reference_values(domain): every non-null value of the column is a
    code of that domain of seed accepted_values (the one list staging judges
    codes by). Returns each value outside the domain with its row count; a
    domain the seed does not have fails too (every value is then outside it).
    dbt's accepted_values needs the list at parse time, which would be a second
    copy of the seed; this reads the seed itself.
-#}
{% test accepted_reference_values(model, column_name, domain) %}

with

accepted as (
    select value
    from {{ ref('accepted_values') }}
    where domain = '{{ domain }}'
),

tested as (
    select
        {{ column_name }} as value,
        count(*) as n_rows
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ column_name }}
)

select
    tested.value,
    tested.n_rows
from tested
left join accepted on tested.value = accepted.value
where accepted.value is null

{% endtest %}
