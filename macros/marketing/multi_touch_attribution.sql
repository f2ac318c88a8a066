{#-
    Multi-touch attribution: each conversion's credit shared among the
    touchpoints of the same customer in the lookback window before it, under
    every attribution model. The reference implementation for engines no dbt
    attribution package covers (DuckDB, Postgres); portable SQL.

    conversions: relation or CTE with conversion_id, <customer_column>,
                 converted_at, revenue
    touchpoints: relation or CTE with touchpoint_id, <customer_column>,
                 touched_at, channel
    A touch counts when converted_at - lookback_days < touched_at <= converted_at
    (var attribution_lookback_days, 30). Touches are ordered by time, ties by
    touchpoint_id (deterministic).

    Models (credit per touch; n = touches in the path):
      first_touch      1 to the first touch
      last_touch       1 to the last touch
      last_non_direct  1 to the last touch whose channel is not direct_channel
                       (var attribution_direct_channel, 'Direct'); the last
                       touch when every touch is direct
      linear           1 / n to each
      time_decay       2^(-age / half-life) normalised over the path; age =
                       time from touch to conversion, half-life
                       var attribution_half_life_days (7)
      position_based   first and last touch get var attribution_position_weights
                       (0.4 / 0.4), the middle touches share the rest equally;
                       two touches split in the ratio first : last (50/50);
                       one touch gets 1
    A conversion without a touch in the window keeps its credit of 1 on one row
    with a null touchpoint (path_length 0), so every conversion's credits sum
    to 1 under every model, and revenue is never lost.

    Output: conversion_id, <customer_column>, converted_at, revenue,
    attribution_model, touchpoint_id, touched_at, channel, path_length,
    touch_position (1 = first), credit, attributed_revenue. Rows with credit 0
    are left out.
-#}
{% macro multi_touch_attribution(
    conversions,
    touchpoints,
    customer_column='customer360_id',
    lookback_days=none,
    half_life_days=none,
    position_weights=none,
    direct_channel=none,
    models=none
) -%}
    {%- set lookback_days = lookback_days if lookback_days is not none else var('attribution_lookback_days') -%}
    {%- set half_life_days = half_life_days if half_life_days is not none else var('attribution_half_life_days') -%}
    {%- set weights = position_weights if position_weights is not none else var('attribution_position_weights') -%}
    {%- set direct_channel = direct_channel if direct_channel is not none else var('attribution_direct_channel') -%}
    {%- set models = models if models is not none else attribution_models() -%}
    {%- set first_weight = weights['first'] | float -%}
    {%- set last_weight = weights['last'] | float -%}
    {%- set credit_sql = {
        'first_touch': 'case when position_from_first = 1 then 1.0 else 0.0 end',
        'last_touch': 'case when position_from_last = 1 then 1.0 else 0.0 end',
        'last_non_direct': 'case when non_direct_rank = 1 then 1.0 else 0.0 end',
        'linear': '1.0 / case when path_length > 1 then path_length else 1 end',
        'time_decay': 'case when path_length <= 1 then 1.0 else decay_weight / decay_total end',
        'position_based': 'case when path_length <= 1 then 1.0'
            ~ ' when path_length = 2 and position_from_first = 1 then '
            ~ (first_weight / (first_weight + last_weight)) | round(12)
            ~ ' when path_length = 2 then ' ~ (last_weight / (first_weight + last_weight)) | round(12)
            ~ ' when position_from_first = 1 then ' ~ first_weight
            ~ ' when position_from_last = 1 then ' ~ last_weight
            ~ ' else ' ~ (1 - first_weight - last_weight) | round(12) ~ ' / (path_length - 2) end'
    } -%}
    {%- for model in models if model not in credit_sql -%}
        {{ exceptions.raise_compiler_error("multi_touch_attribution: unknown model '" ~ model ~ "'; known: "
            ~ (credit_sql.keys() | list | join(', '))) }}
    {%- endfor -%}
    {%- if first_weight + last_weight > 1 or first_weight < 0 or last_weight < 0 -%}
        {{ exceptions.raise_compiler_error("multi_touch_attribution: position weights must be >= 0 and sum to"
            ~ " at most 1, got " ~ weights) }}
    {%- endif -%}
    with

    mta_paths as (
        select
            conversions.conversion_id,
            conversions.{{ customer_column }},
            conversions.converted_at,
            conversions.revenue,
            touchpoints.touchpoint_id,
            touchpoints.touched_at,
            touchpoints.channel,
            {{ dbt.datediff('touchpoints.touched_at', 'conversions.converted_at', 'second') }} as seconds_before
        from {{ conversions }} as conversions
        left join {{ touchpoints }} as touchpoints
            on
                conversions.{{ customer_column }} = touchpoints.{{ customer_column }}
                and touchpoints.touched_at <= conversions.converted_at
                and touchpoints.touched_at > {{ dbt.dateadd('day', -1 * lookback_days, 'conversions.converted_at') }}
    ),

    mta_ranked as (
        select
            *,
            count(touchpoint_id) over (partition by conversion_id) as path_length,
            row_number() over (
                partition by conversion_id order by touched_at, touchpoint_id
            ) as position_from_first,
            row_number() over (
                partition by conversion_id order by touched_at desc, touchpoint_id desc
            ) as position_from_last,
            row_number() over (
                partition by conversion_id
                order by
                    case when channel = '{{ direct_channel }}' then 1 else 0 end,
                    touched_at desc,
                    touchpoint_id desc
            ) as non_direct_rank,
            power(0.5, seconds_before / ({{ half_life_days }} * 86400.0)) as decay_weight
        from mta_paths
    ),

    mta_weighted as (
        select
            *,
            sum(decay_weight) over (partition by conversion_id) as decay_total
        from mta_ranked
    ),

    mta_credits as (
        {%- for model in models %}
        select
            conversion_id,
            {{ customer_column }},
            converted_at,
            revenue,
            '{{ model }}' as attribution_model,
            touchpoint_id,
            touched_at,
            channel,
            path_length,
            case when touchpoint_id is not null then position_from_first end as touch_position,
            cast({{ credit_sql[model] }} as {{ type_double() }}) as credit
        from mta_weighted
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    )

    select
        *,
        credit * revenue as attributed_revenue
    from mta_credits
    where credit > 0
{%- endmacro %}

{#- The attribution models multi_touch_attribution knows, in reporting order. -#}
{% macro attribution_models() -%}
    {{ return(['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based']) }}
{%- endmacro %}
