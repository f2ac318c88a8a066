{#-
    Building blocks every staging model uses, so duplicates and rule flags are
    judged the same way on every table.

    dq_copy_number(): 1 for the first copy of a row, 2.. for exact duplicates
    (same content), which later layers collapse.

    dq_key_rank(key, order_by): among distinct rows (copy 1), the position of
    the row within its key, earliest first by order_by then content hash; a
    rank above 1 is a "later duplicate" that the key's uniqueness rule rejects.

    dq_is_accepted(source_table): true when the row is a first copy and no
    row rule of its table failed.
-#}
{% macro dq_copy_number() -%}
    row_number() over (partition by _row_hash order by _row_hash)
{%- endmacro %}

{% macro dq_key_rank(key, order_by) -%}
    case when _copy_number = 1 then
        row_number() over (
            partition by {{ key }}, case when _copy_number = 1 then 1 else 0 end
            order by {{ order_by }}, _row_hash
        )
    end
{%- endmacro %}

{% macro dq_is_accepted(source_table) -%}
    {%- set entry = dq_registry_entry(source_table) -%}
    (_copy_number = 1
    {%- for rule in entry.rules %}
        and {{ dq_column(rule) }} is null
    {%- endfor %})
{%- endmacro %}

{#- 'email=<value>' with a visible marker for missing values -#}
{% macro dq_value(label, expr) -%}
    '{{ label }}=' || coalesce(cast({{ expr }} as {{ dbt.type_string() }}), '<missing>')
{%- endmacro %}

{#- Later duplicate of a key (rank from dq_key_rank). -#}
{% macro dq_later_duplicate(key_expr, label, rank_column='_key_rank') -%}
    case
        when {{ key_expr }} is not null and {{ rank_column }} > 1
            then 'later duplicate of ' || {{ dq_value(label, key_expr) }}
    end
{%- endmacro %}

{#-
    A timestamp or date field: missing (when required), unparseable, or after
    the run's reference time (when not_future).
-#}
{% macro dq_time_problem(raw_column, parsed_column, required=true, not_future=true, kind='timestamp') -%}
    {%- set label = raw_column.split('.')[-1] | replace('_raw', '') -%}
    case
        when nullif(trim({{ raw_column }}), '') is null
            then {% if required %}'missing {{ label }}'{% else %}null{% endif %}
        when {{ parsed_column }} is null
            then {{ dq_value(label, raw_column) }} || ' is not an ISO 8601 {{ kind }}'
        {%- if not_future %}
        when {{ parsed_column }} > {{ as_of_timestamp() if kind == 'timestamp' else as_of_date() }}
            then {{ dq_value(label, raw_column) }} || ' is in the future'
        {%- endif %}
    end
{%- endmacro %}

{#- A code outside its accepted values (domain <values_name> of seed accepted_values). -#}
{% macro dq_not_accepted(column, values_name, label=none) -%}
    {%- set label = label or column -%}
    case
        when {{ column }} is null then 'missing {{ label }}'
        when not {{ in_accepted_values(column, values_name) }}
            then {{ dq_value(label, column) }} || ' is not an accepted value'
    end
{%- endmacro %}

{% macro in_accepted_values(column, values_name) -%}
    ({{ column }} in ({{ sql_string_list(accepted_values_of(values_name)) }}))
{%- endmacro %}

{#- A number that must parse and lie in a range (bounds inclusive unless strict). -#}
{% macro dq_number_problem(raw_column, parsed_column, min_value=none, max_value=none, strict_min=false, required=true, kind='number') -%}
    {%- set label = raw_column.split('.')[-1] | replace('_raw', '') -%}
    case
        when nullif(trim({{ raw_column }}), '') is null
            then {% if required %}'missing {{ label }}'{% else %}null{% endif %}
        when {{ parsed_column }} is null
            then {{ dq_value(label, raw_column) }} || ' is not a valid {{ kind }}'
        {%- if min_value is not none %}
        when {{ parsed_column }} {{ '<=' if strict_min else '<' }} {{ min_value }}
            then {{ dq_value(label, raw_column) }} || ' is {{ "not above" if strict_min else "below" }} {{ min_value }}'
        {%- endif %}
        {%- if max_value is not none %}
        when {{ parsed_column }} > {{ max_value }}
            then {{ dq_value(label, raw_column) }} || ' is above {{ max_value }}'
        {%- endif %}
    end
{%- endmacro %}

{#-
    dq_length_problem(source_table): the length rule of a raw table. Every
    column of the source contract declares its kind (meta.kind in
    models/staging/*/_*__sources.yml: id, code, name, email, phone, url,
    free_text, number, timestamp) and var text_length_limits gives the most
    characters a value of each kind may have. The first column over its limit
    is reported with its length, never its value (a 1 MB field must not be
    copied into dq_rejected_rows). A column without a kind, or a kind without
    a limit, fails the node with what to fix. A unit test's context has no
    graph to read the kinds from: there the rule passes every row (the rule is
    tested end to end, on both engines, by tests/pytest/test_row_rules.py).
-#}
{% macro dq_length_problem(source_table) -%}
    {%- if not execute or graph.sources is not defined -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- set limits = var('text_length_limits') -%}
        {%- set table = graph.sources.values() | selectattr('name', 'equalto', source_table) | first -%}
        {%- if not table -%}
            {{ exceptions.raise_compiler_error("dq_length_problem: no source table '" ~ source_table ~ "'") }}
        {%- endif -%}
        case
        {%- for column in table.columns.values() %}
            {%- set kind = (column.meta or {}).get('kind') or (column.config.meta or {}).get('kind') -%}
            {%- if kind not in limits -%}
                {{ exceptions.raise_compiler_error("column " ~ source_table ~ "." ~ column.name ~ " has kind '" ~ kind
                    ~ "', which var text_length_limits does not list: set meta.kind in its sources yml to one of "
                    ~ (limits.keys() | list | join(', '))) }}
            {%- endif %}
            when {{ dbt.length(column.name) }} > {{ limits[kind] }}
                then '{{ column.name }} has ' || cast({{ dbt.length(column.name) }} as {{ dbt.type_string() }})
                    || ' characters, over the limit of {{ limits[kind] }} for a {{ kind }}'
        {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}

{#-
    Reference rules (INT-02, PRF-02, OIT-02, PAY-02, SUP-06, NPS-04): a child row must name a valid parent, and a
    parent whose record was rejected is not valid (README, "Data quality: how a rule is enforced"). The rules are
    judged against the parent's rows of the same delivery, in staging.

    dq_parent_keys(model, key): one row per delivered parent key with is_accepted (some row of the key was
    accepted: the first copy of its earliest row, as later duplicates are rejected), for a CTE.

    dq_reference_problem(child, parent, label, unknown, parent_noun): the rule's flag, with the child's key column
    <child> and the parent CTE's row <parent> (joined on the key, so <parent>.<label> is null when the key was never
    delivered): 'missing <label>', '<label>=X <unknown>' or '<label>=X names a rejected <parent_noun>'.
-#}
{% macro dq_parent_keys(model, key) -%}
    select
        {{ key }},
        max(case when _is_accepted then 1 else 0 end) = 1 as is_accepted
    from {{ ref(model) }}
    where {{ key }} is not null
    group by {{ key }}
{%- endmacro %}

{% macro dq_reference_problem(child, parent, label, unknown, parent_noun) -%}
    case
        when {{ child }} is null then 'missing {{ label }}'
        when {{ parent }}.{{ label }} is null then {{ dq_value(label, child) }} || ' {{ unknown }}'
        when not {{ parent }}.is_accepted then {{ dq_value(label, child) }} || ' names a rejected {{ parent_noun }}'
    end
{%- endmacro %}
