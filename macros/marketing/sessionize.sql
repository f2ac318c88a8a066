{#-
    Sessionization: the rows of `relation` (a CTE or relation name; one row
    per event) with the session each belongs to. Events of one visitor
    (partition_by, e.g. the device) form a session until:
      * the visitor is silent for more than timeout_minutes
        (var session_timeout_minutes, 30), or
      * split_on_source (var session_split_on_source, true) and the event
        carries traffic-source parameters (source_column not null: a campaign
        or referral landing) other than those of the visitor's previous event,
        or
      * split_at_midnight (var session_split_at_midnight, false) and the event
        falls on another (UTC) calendar day than the previous one.
    Ties in time are ordered by order_by_tiebreak (the event id), so the result
    is deterministic.

    Adds: starts_session (1 on the first event of a session, else 0) and
    session_number (1, 2, ... per visitor). Rows whose partition column is null
    get null for both.
-#}
{% macro sessionize(
    relation,
    partition_by,
    timestamp_column,
    order_by_tiebreak,
    source_column=none,
    timeout_minutes=none,
    split_on_source=none,
    split_at_midnight=none
) -%}
    {%- set timeout_minutes = timeout_minutes if timeout_minutes is not none else var('session_timeout_minutes') -%}
    {%- set split_on_source = split_on_source if split_on_source is not none else var('session_split_on_source') -%}
    {%- set split_at_midnight = split_at_midnight if split_at_midnight is not none
        else var('session_split_at_midnight') -%}
    {%- set visitor_window = 'over (partition by ' ~ partition_by ~ ' order by ' ~ timestamp_column ~ ', '
        ~ order_by_tiebreak ~ ')' -%}
    {%- set previous_at = 'lag(' ~ timestamp_column ~ ') ' ~ visitor_window -%}
    select
        flagged.*,
        case
            when flagged.starts_session is not null
                then sum(flagged.starts_session) over (
                    partition by flagged.{{ partition_by }}
                    order by flagged.{{ timestamp_column }}, flagged.{{ order_by_tiebreak }}
                    rows between unbounded preceding and current row
                )
        end as session_number
    from (
        select
            {{ relation }}.*,
            case
                when {{ partition_by }} is null then null
                when {{ previous_at }} is null then 1
                when {{ timestamp_column }} > {{ dbt.dateadd('minute', timeout_minutes, previous_at) }} then 1
                {%- if split_on_source and source_column is not none %}
                when
                    {{ source_column }} is not null
                    and {{ source_column }} <> coalesce(lag({{ source_column }}) {{ visitor_window }}, '')
                    then 1
                {%- endif %}
                {%- if split_at_midnight %}
                when cast({{ timestamp_column }} as date) <> cast({{ previous_at }} as date) then 1
                {%- endif %}
                else 0
            end as starts_session
        from {{ relation }}
    ) as flagged
{%- endmacro %}
