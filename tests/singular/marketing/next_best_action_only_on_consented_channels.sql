-- GEN-04 for next best actions: no action is proposed on a channel the customer has not consented to. A row fails
-- when its consent scope is not the one var marketing_consent_channels maps its channel to, when the customer's
-- current consent for that scope (slv_customer_consents) is not opted_in, or when the customer is not contactable
-- on the channel (slv_customer_channels.is_contactable: opted in and reachable). The same check runs on the audience.
{%- set channels = var('marketing_consent_channels') %}

with

actions as (
    select
        'fct_next_best_action' as model_name,
        customer360_id,
        action,
        channel,
        consent_scope
    from {{ ref('fct_next_best_action') }}
    union all
    select
        'aud_next_best_action' as model_name,
        customer360_id,
        action,
        channel,
        consent_scope
    from {{ ref('aud_next_best_action') }}
),

scope_of_channel as (
    {%- for scope, channel in channels.items() %}
    select
        '{{ channel }}' as channel,
        '{{ scope }}' as scope
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

consents as (
    select
        customer360_id,
        scope
    from {{ ref('slv_customer_consents') }}
    where is_opted_in
),

contactable as (
    select
        customer360_id,
        channel
    from {{ ref('slv_customer_channels') }}
    where is_contactable
)

select
    actions.*,
    scope_of_channel.scope as required_scope,
    consents.scope is not null as is_opted_in,
    contactable.channel is not null as is_contactable
from actions
left join scope_of_channel on actions.channel = scope_of_channel.channel
left join consents
    on actions.customer360_id = consents.customer360_id and scope_of_channel.scope = consents.scope
left join contactable
    on actions.customer360_id = contactable.customer360_id and actions.channel = contactable.channel
where
    scope_of_channel.scope is null
    or actions.consent_scope <> scope_of_channel.scope
    or consents.scope is null
    or contactable.channel is null
