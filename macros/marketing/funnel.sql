{#-
    Ordered funnel, one definition for every funnel mart (mart_funnel_steps).

    relation: a CTE or relation name, one row per event, with the columns named below.
    entity: the column whose values go through the funnel (a customer360_id, a session_id, a customer and
        campaign key ...).
    time_column: the event's timestamp.
    steps: the ordered steps, each either an event type (a string: event_type = 'that string') or a dict
        {name: ..., condition: SQL predicate over the relation's columns}.
    window_hours: the conversion window, hours after the entity's first step-1 event.
    splits: columns of the relation to report by (each optional); an entity is reported under the values of its
        anchor row (its first step-1 event), a null value as 'unknown'.
    tiebreak: a column ordering step-1 events at the same time (the anchor is then the lowest).

    Rules, per entity:
      * the funnel starts at the entity's FIRST step-1 event (the anchor); later step-1 events start nothing;
      * step k (k > 1) is reached at the earliest step-k event at or after the time step k-1 was reached
        (the same second counts as in order) and at or before anchor + window_hours: the window edge is
        INCLUSIVE (an event exactly window_hours after the anchor counts, one second later does not);
      * an event before the previous step is out of order and does not count (a cart before the product view);
        a step missed breaks the chain: later steps are not reached even if their events occur;
      * each entity counts once per step however often it repeats a step (repeats never double count);
      * furthest_step = the last step reached in that order.

    Returns one row per combination of split values present x step (every step, also those no entity reached):
      split columns, step_number, step_name, entities (entities that reached the step), entities_first_step,
      entities_previous_step, conversion_from_previous (entities / entities_previous_step; step 1: 1),
      conversion_from_first (entities / entities_first_step), drop_off (entities_previous_step - entities;
      step 1: 0), drop_off_rate (drop_off / entities_previous_step; step 1: 0). Ratios through safe_divide.
-#}
{% macro funnel_steps(relation, entity, time_column, steps, window_hours, splits=[], tiebreak=none) -%}
    {%- set ns = namespace(conditions=[], names=[]) -%}
    {%- for step in steps -%}
        {%- if step is string -%}
            {%- do ns.conditions.append("event_type = '" ~ step ~ "'") -%}
            {%- do ns.names.append(step) -%}
        {%- else -%}
            {%- do ns.conditions.append(step['condition']) -%}
            {%- do ns.names.append(step['name']) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set n = ns.names | length -%}
    {%- set split_list -%}
        {%- for split in splits %}{{ split }}, {% endfor -%}
    {%- endset -%}
    with

    funnel_step_events as (
        select
            {{ entity }} as funnel_entity,
            {{ time_column }} as step_at,
            {%- for split in splits %}
            coalesce(cast({{ split }} as {{ dbt.type_string() }}), 'unknown') as {{ split }},
            {%- endfor %}
            {%- if tiebreak is not none %}
            {{ tiebreak }} as funnel_tiebreak,
            {%- else %}
            cast(null as {{ dbt.type_string() }}) as funnel_tiebreak,
            {%- endif %}
            {%- for condition in ns.conditions %}
            case when {{ condition }} then 1 else 0 end as is_step_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ relation }}
        where
            {{ entity }} is not null
            and {{ time_column }} is not null
            and (
                {%- for condition in ns.conditions %}
                ({{ condition }}){{ ' or' if not loop.last }}
                {%- endfor %}
            )
    ),

    funnel_anchors as (
        select
            funnel_entity,
            {{ split_list }}
            step_at as step_1_at,
            {{ dbt.dateadd('hour', window_hours, 'step_at') }} as window_ends_at
        from (
            select
                funnel_step_events.*,
                row_number() over (
                    partition by funnel_entity order by step_at, funnel_tiebreak
                ) as anchor_rank
            from funnel_step_events
            where is_step_1 = 1
        ) as ranked
        where anchor_rank = 1
    ),

    funnel_reached_1 as (
        select
            funnel_entity,
            window_ends_at,
            step_1_at as reached_at
        from funnel_anchors
    ),
    {%- for k in range(2, n + 1) %}

    funnel_reached_{{ k }} as (
        select
            previous.funnel_entity,
            previous.window_ends_at,
            min(funnel_step_events.step_at) as reached_at
        from funnel_reached_{{ k - 1 }} as previous
        inner join funnel_step_events
            on previous.funnel_entity = funnel_step_events.funnel_entity
                and funnel_step_events.is_step_{{ k }} = 1
                and funnel_step_events.step_at >= previous.reached_at
                and funnel_step_events.step_at <= previous.window_ends_at
        group by previous.funnel_entity, previous.window_ends_at
    ),
    {%- endfor %}

    funnel_entities as (
        select
            funnel_anchors.funnel_entity,
            {%- for split in splits %}
            funnel_anchors.{{ split }},
            {%- endfor %}
            case
                {%- for k in range(n, 1, -1) %}
                when funnel_reached_{{ k }}.funnel_entity is not null then {{ k }}
                {%- endfor %}
                else 1
            end as furthest_step
        from funnel_anchors
        {%- for k in range(2, n + 1) %}
        left join funnel_reached_{{ k }} on funnel_anchors.funnel_entity = funnel_reached_{{ k }}.funnel_entity
        {%- endfor %}
    ),

    funnel_step_names as (
        {%- for name in ns.names %}
        select
            {{ loop.index }} as step_number,
            '{{ name }}' as step_name
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ),

    funnel_split_values as (
        select distinct
            {%- for split in splits %}
            {{ split }},
            {%- endfor %}
            1 as funnel_all
        from funnel_entities
    ),

    funnel_furthest as (
        -- entities per split values and furthest step: the counts below join these few rows, not every entity
        select
            {{ split_list }}
            furthest_step,
            count(*) as entities
        from funnel_entities
        group by
            {{ split_list }}
            furthest_step
    ),

    funnel_counts as (
        select
            {%- for split in splits %}
            funnel_split_values.{{ split }},
            {%- endfor %}
            funnel_step_names.step_number,
            funnel_step_names.step_name,
            cast(coalesce(sum(funnel_furthest.entities), 0) as {{ dbt.type_bigint() }}) as entities
        from funnel_split_values
        cross join funnel_step_names
        left join funnel_furthest
            on funnel_furthest.furthest_step >= funnel_step_names.step_number
            {%- for split in splits %}
                and funnel_split_values.{{ split }} = funnel_furthest.{{ split }}
            {%- endfor %}
        group by
            {%- for split in splits %}
            funnel_split_values.{{ split }},
            {%- endfor %}
            funnel_step_names.step_number,
            funnel_step_names.step_name
    ),

    funnel_compared as (
        select
            funnel_counts.*,
            max(case when step_number = 1 then entities end) over (
                partition by {% for split in splits %}{{ split }}{{ ', ' if not loop.last }}{% else %}1{% endfor %}
            ) as entities_first_step,
            coalesce(
                lag(entities) over (
                    partition by {% for split in splits %}{{ split }}{{ ', ' if not loop.last }}{% else %}1{% endfor %}
                    order by step_number
                ),
                entities
            ) as entities_previous_step
        from funnel_counts
    )

    select
        {{ split_list }}
        step_number,
        step_name,
        entities,
        entities_first_step,
        entities_previous_step,
        {{ safe_divide('entities', 'entities_previous_step') }} as conversion_from_previous,
        {{ safe_divide('entities', 'entities_first_step') }} as conversion_from_first,
        entities_previous_step - entities as drop_off,
        {{ safe_divide('entities_previous_step - entities', 'entities_previous_step') }} as drop_off_rate
    from funnel_compared
{%- endmacro %}
