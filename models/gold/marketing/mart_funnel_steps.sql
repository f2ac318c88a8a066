{#-
    Conversion funnels, one mart with a funnel_name column: purchase, signup, form and message (see
    slv_funnel_events for each funnel's entity and events). Every funnel goes through macro funnel_steps
    (macros/marketing/funnel.sql): the entity's first step-1 event anchors it, later steps count in order within
    var funnel_conversion_window_hours[funnel_name] of the anchor (edge inclusive), each entity once per step.

    Grain: funnel_name x platform x device_type x marketing_channel x utm_campaign x customer_segment x step.
    A split a funnel does not report by is 'all'; a split value the anchor event lacks is 'unknown'.
    Counts add up across split values (an entity has one anchor); ratios are per row.
-#}
{#- Postgres: the step chain joins CTEs whose row counts the planner cannot know (CTE scans carry no statistics;
    the grouped reached-step CTEs are estimated at 1 to 93 rows), so it chose nested loops over the step events,
    quadratic in the funnel's sessions: 72 s at 2,000 people, over 6.5 min at 10,000. Hash joins instead, for this
    model's transaction only (`set local`): 14 s at 2,000 people on the same machine, analyze included. -#}
{%- if target.type == 'postgres' %}{{ config(pre_hook="set local enable_nestloop = off") }}{% endif %}

{%- set windows = var('funnel_conversion_window_hours') -%}
{%- set funnels = [
    {'name': 'purchase', 'entity_type': 'session',
     'steps': ['product_view', 'add_to_cart', 'checkout_start', 'purchase'],
     'splits': ['platform', 'device_type', 'marketing_channel', 'utm_campaign', 'customer_segment']},
    {'name': 'signup', 'entity_type': 'customer',
     'steps': ['visit', 'signup', 'login', 'first_order'],
     'splits': ['platform', 'device_type', 'marketing_channel', 'customer_segment']},
    {'name': 'form', 'entity_type': 'session',
     'steps': ['form_start', 'form_submit'],
     'splits': ['platform', 'device_type', 'marketing_channel', 'customer_segment']},
    {'name': 'message', 'entity_type': 'customer_campaign',
     'steps': ['message_sent', 'message_opened', 'message_clicked', 'campaign_visit', 'order'],
     'splits': ['platform', 'marketing_channel', 'utm_campaign', 'customer_segment']},
] -%}
{%- set all_splits = ['platform', 'device_type', 'marketing_channel', 'utm_campaign', 'customer_segment'] -%}

with

{% for funnel in funnels %}
{{ funnel.name }}_events as (
    select * from {{ ref('slv_funnel_events') }}
    where funnel_name = '{{ funnel.name }}'
),

{{ funnel.name }}_funnel as (
    {{ funnel_steps(funnel.name ~ '_events', 'entity_id', 'event_at', funnel.steps,
        windows[funnel.name], splits=funnel.splits, tiebreak='event_id') }}
),

{{ funnel.name }}_rows as (
    select
        '{{ funnel.name }}' as funnel_name,
        '{{ funnel.entity_type }}' as entity_type,
        {{ windows[funnel.name] }} as window_hours,
        {%- for split in all_splits %}
        {{ split if split in funnel.splits else "'all'" }} as {{ split }},
        {%- endfor %}
        step_number,
        step_name,
        entities,
        entities_first_step,
        drop_off,
        conversion_from_previous,
        conversion_from_first,
        drop_off_rate
    from {{ funnel.name }}_funnel
),

{% endfor %}
unioned as (
    {%- for funnel in funnels %}
    select * from {{ funnel.name }}_rows
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

campaigns as (
    select
        utm_campaign,
        min(campaign_id) as campaign_id
    from {{ ref('slv_campaigns') }}
    where utm_campaign is not null
    group by utm_campaign
),

final as (
    select
        cast(
            {{ dbt.concat(['unioned.funnel_name', "'|'", 'unioned.platform', "'|'", 'unioned.device_type', "'|'",
                'unioned.marketing_channel', "'|'", 'unioned.utm_campaign', "'|'", 'unioned.customer_segment', "'|'",
                'cast(unioned.step_number as ' ~ dbt.type_string() ~ ')']) }} as varchar
        ) as funnel_step_key,
        cast(unioned.funnel_name as varchar) as funnel_name,
        cast(unioned.entity_type as varchar) as entity_type,
        cast(unioned.window_hours as integer) as window_hours,
        cast(unioned.platform as varchar) as platform,
        cast(unioned.device_type as varchar) as device_type,
        cast(unioned.marketing_channel as varchar) as marketing_channel,
        cast(unioned.utm_campaign as varchar) as utm_campaign,
        cast(campaigns.campaign_id as varchar) as campaign_id,
        cast(unioned.customer_segment as varchar) as customer_segment,
        cast(unioned.step_number as integer) as step_number,
        cast(unioned.step_name as varchar) as step_name,
        cast(unioned.entities as {{ dbt.type_bigint() }}) as entities,
        cast(unioned.entities_first_step as {{ dbt.type_bigint() }}) as entities_first_step,
        cast(unioned.drop_off as {{ dbt.type_bigint() }}) as drop_off,
        cast(unioned.conversion_from_previous as {{ type_double() }}) as conversion_from_previous,
        cast(unioned.conversion_from_first as {{ type_double() }}) as conversion_from_first,
        cast(unioned.drop_off_rate as {{ type_double() }}) as drop_off_rate
    from unioned
    left join campaigns on unioned.utm_campaign = campaigns.utm_campaign
)

select * from final
