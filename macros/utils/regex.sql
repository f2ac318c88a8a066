{#-
    Portable regular expressions. Each engine spells them differently; models
    call these and never the engine's function directly.

    Why our own and not a package's: a staging row rule needs a boolean
    expression inside a model (the flag column), and the packages offer regexes
    only as tests (dbt_expectations.expect_column_values_to_match_regex, used
    where a whole column is asserted) or as dbt_expectations.regexp_instr,
    whose Postgres form needs a flags argument this project never uses.
-#}

{% macro regex_match(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_match', 'customer_analytics')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_match(expr, pattern) -%}
    regexp_like({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_match(expr, pattern) -%}
    ({{ expr }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_match(expr, pattern) -%}
    regexp_matches({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro bigquery__regex_match(expr, pattern) -%}
    regexp_contains({{ expr }}, r'{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_match(expr, pattern) -%}
    ({{ expr }} rlike '{{ pattern }}')
{%- endmacro %}


{% macro regex_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'customer_analytics')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{#- Postgres and DuckDB replace only the first match unless given the 'g' flag. -#}
{% macro postgres__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro duckdb__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}


{#- The same, with the pattern taken from a column or expression (e.g. a seed of rules). -#}
{% macro regex_match_expr(expr, pattern_expr) -%}
    {{ return(adapter.dispatch('regex_match_expr', 'customer_analytics')(expr, pattern_expr)) }}
{%- endmacro %}

{% macro default__regex_match_expr(expr, pattern_expr) -%}
    regexp_like({{ expr }}, {{ pattern_expr }})
{%- endmacro %}

{% macro postgres__regex_match_expr(expr, pattern_expr) -%}
    ({{ expr }} ~ {{ pattern_expr }})
{%- endmacro %}

{% macro duckdb__regex_match_expr(expr, pattern_expr) -%}
    regexp_matches({{ expr }}, {{ pattern_expr }})
{%- endmacro %}

{% macro bigquery__regex_match_expr(expr, pattern_expr) -%}
    regexp_contains({{ expr }}, {{ pattern_expr }})
{%- endmacro %}

{% macro spark__regex_match_expr(expr, pattern_expr) -%}
    ({{ expr }} rlike {{ pattern_expr }})
{%- endmacro %}


{#- Edit (Levenshtein) distance between two strings. Postgres needs the
    fuzzystrmatch extension (created by the on-run-start hook). -#}
{% macro edit_distance(a, b) -%}
    {{ return(adapter.dispatch('edit_distance', 'customer_analytics')(a, b)) }}
{%- endmacro %}

{% macro default__edit_distance(a, b) -%}
    editdistance({{ a }}, {{ b }})
{%- endmacro %}

{% macro duckdb__edit_distance(a, b) -%}
    levenshtein({{ a }}, {{ b }})
{%- endmacro %}

{% macro postgres__edit_distance(a, b) -%}
    levenshtein({{ a }}, {{ b }})
{%- endmacro %}

{% macro bigquery__edit_distance(a, b) -%}
    edit_distance({{ a }}, {{ b }})
{%- endmacro %}

{% macro spark__edit_distance(a, b) -%}
    levenshtein({{ a }}, {{ b }})
{%- endmacro %}


{#- The characters of a string in sorted order ("listen" and "silent" give the
    same): two strings with the same signature and an edit distance of 2 differ
    by a swap of letters, the commonest typo. -#}
{% macro char_signature(expr) -%}
    {{ return(adapter.dispatch('char_signature', 'customer_analytics')(expr)) }}
{%- endmacro %}

{% macro default__char_signature(expr) -%}
    (select string_agg(ch, '' order by ch) from regexp_split_to_table({{ expr }}, '') as ch)
{%- endmacro %}

{% macro postgres__char_signature(expr) -%}
    (select string_agg(ch, '' order by ch) from regexp_split_to_table({{ expr }}, '') as ch)
{%- endmacro %}

{% macro duckdb__char_signature(expr) -%}
    array_to_string(list_sort(string_split({{ expr }}, '')), '')
{%- endmacro %}
