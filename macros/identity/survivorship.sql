{#-
    Survivorship, one macro per rule, each returning a select of
    (customer360_id, value) with one row per customer.

    survivor_trusted(relation, column): the value of the most trusted system
        (source_trust_rank), most recently updated record first; nulls never win.
    survivor_most_frequent(relation, column): the value most records carry;
        ties go to the most trusted, then most recent record.
-#}
{% macro survivor_trusted(relation, column) -%}
    select
        customer360_id,
        {{ column }} as value
    from (
        select
            customer360_id,
            {{ column }},
            row_number() over (
                partition by customer360_id
                order by source_trust_rank, record_updated_at desc, source_id
            ) as survivor_rank
        from {{ relation }}
        where {{ column }} is not null
    ) as candidates
    where survivor_rank = 1
{%- endmacro %}

{% macro survivor_most_frequent(relation, column) -%}
    select
        customer360_id,
        {{ column }} as value
    from (
        select
            customer360_id,
            {{ column }},
            row_number() over (
                partition by customer360_id
                order by records desc, best_trust_rank, last_updated_at desc, {{ column }}
            ) as survivor_rank
        from (
            select
                customer360_id,
                {{ column }},
                count(*) as records,
                min(source_trust_rank) as best_trust_rank,
                max(record_updated_at) as last_updated_at
            from {{ relation }}
            where {{ column }} is not null
            group by customer360_id, {{ column }}
        ) as counted
    ) as candidates
    where survivor_rank = 1
{%- endmacro %}

{#- A JSON array (as text) of the distinct non-null values, sorted: portable across engines. -#}
{% macro json_array_agg(column) -%}
    coalesce('[' || {{ dbt.listagg("distinct '\"' || " ~ column ~ " || '\"'", "','", "order by '\"' || " ~ column ~ " || '\"'") }} || ']', '[]')
{%- endmacro %}

{#- A name typed all upper or all lower case, in title case; mixed case is kept. -#}
{% macro tidy_name(column) -%}
    case
        when {{ column }} = upper({{ column }}) or {{ column }} = lower({{ column }})
            then upper(substr({{ column }}, 1, 1)) || lower(substr({{ column }}, 2))
        else {{ column }}
    end
{%- endmacro %}
