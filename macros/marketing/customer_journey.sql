{#-
    Customer journeys: the touchpoint path of a journey as one string, and the
    journey stages.

    journey_path(touches, ...): a complete SELECT, one row per journey, from a
    relation or CTE with one row per touch of a journey:
        <journey_column>, <channel_column>, <timestamp_column>, <tiebreak_column>
    Touches are ordered by time, ties by the tiebreak column (the touchpoint id,
    deterministic, as in multi_touch_attribution). Consecutive touches of the same
    channel are collapsed into one step ('Email > Email > Direct' is the path
    'Email > Direct'); a channel that comes back later is a new step
    ('Email > Direct > Email' stays as it is).

    Output columns:
      <journey_column>
      touch_path           the steps' channels in order, joined by separator (' > ')
      touches              touches in the journey (before collapsing)
      path_steps           steps after collapsing consecutive repeats
      distinct_channels    different channels in the journey
      first_touch_channel  channel of the first touch
      last_touch_channel   channel of the last touch
      first_touched_at, last_touched_at
    Journeys without a touch are not in the output (the caller decides what
    such a journey's path is).
-#}
{% macro journey_path(
    touches,
    journey_column='journey_id',
    channel_column='channel',
    timestamp_column='touched_at',
    tiebreak_column='touchpoint_id',
    separator=' > '
) -%}
    {%- set touch_order = timestamp_column ~ ', ' ~ tiebreak_column -%}
    with

    jp_ordered as (
        select
            {{ journey_column }} as jp_journey,
            {{ channel_column }} as jp_channel,
            {{ timestamp_column }} as jp_touched_at,
            row_number() over (partition by {{ journey_column }} order by {{ touch_order }}) as jp_touch_number,
            lag({{ channel_column }}) over (
                partition by {{ journey_column }} order by {{ touch_order }}
            ) as jp_previous_channel,
            count(*) over (partition by {{ journey_column }}) as jp_touches,
            max({{ timestamp_column }}) over (partition by {{ journey_column }}) as jp_last_touched_at
        from {{ touches }}
    ),

    jp_steps as (
        select
            *,
            row_number() over (partition by jp_journey order by jp_touch_number) as jp_step_number,
            count(*) over (partition by jp_journey) as jp_path_steps
        from jp_ordered
        where jp_previous_channel is null or jp_previous_channel <> jp_channel
    ),

    jp_channels as (
        select
            jp_journey,
            count(distinct jp_channel) as jp_distinct_channels
        from jp_ordered
        group by jp_journey
    )

    select
        jp_steps.jp_journey as {{ journey_column }},
        {{ dbt.listagg('jp_steps.jp_channel', "'" ~ separator ~ "'", 'order by jp_steps.jp_step_number') }}
            as touch_path,
        max(jp_steps.jp_touches) as touches,
        max(jp_steps.jp_path_steps) as path_steps,
        max(jp_channels.jp_distinct_channels) as distinct_channels,
        max(case when jp_steps.jp_step_number = 1 then jp_steps.jp_channel end) as first_touch_channel,
        max(case when jp_steps.jp_step_number = jp_steps.jp_path_steps then jp_steps.jp_channel end)
            as last_touch_channel,
        min(jp_steps.jp_touched_at) as first_touched_at,
        max(jp_steps.jp_last_touched_at) as last_touched_at
    from jp_steps
    inner join jp_channels on jp_steps.jp_journey = jp_channels.jp_journey
    group by jp_steps.jp_journey
{%- endmacro %}

{#-
    The journey stages, in order (stage_order 1..5). A customer's stage is the
    highest stage whose milestone they reached; the rules are in
    models/gold/marketing/fct_customer_journey_stage.sql.
-#}
{% macro journey_stages() -%}
    {{ return([
        {'journey_stage': 'awareness', 'stage_order': 1},
        {'journey_stage': 'consideration', 'stage_order': 2},
        {'journey_stage': 'purchase', 'stage_order': 3},
        {'journey_stage': 'retention', 'stage_order': 4},
        {'journey_stage': 'advocacy', 'stage_order': 5}
    ]) }}
{%- endmacro %}
