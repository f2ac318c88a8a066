{#-
    The marketing channel taxonomy, defined once (var channel_taxonomy):
    Paid Search, Paid Social, Display, Email, Push, Organic Search, Referral,
    Direct. utm_medium decides first (a paid medium from a social source is
    Paid Social); without a known medium the referrer's host decides: a search
    engine is Organic Search, the shop itself or nothing is Direct, any other
    site is Referral. Inputs are SQL expressions; utm values are compared in
    lower case.
-#}
{% macro marketing_channel(utm_source, utm_medium, referrer) -%}
    {%- set taxonomy = var('channel_taxonomy') -%}
    case
        when lower({{ utm_medium }}) in ({{ sql_string_list(taxonomy['paid_social_mediums']) }})
            then 'Paid Social'
        when
            lower({{ utm_medium }}) in ({{ sql_string_list(taxonomy['paid_search_mediums']) }})
            and lower(coalesce({{ utm_source }}, '')) in ({{ sql_string_list(taxonomy['social_sources']) }})
            then 'Paid Social'
        when lower({{ utm_medium }}) in ({{ sql_string_list(taxonomy['paid_search_mediums']) }})
            then 'Paid Search'
        when lower({{ utm_medium }}) in ({{ sql_string_list(taxonomy['display_mediums']) }})
            then 'Display'
        when lower({{ utm_medium }}) in ({{ sql_string_list(taxonomy['email_mediums']) }})
            then 'Email'
        when lower({{ utm_medium }}) in ({{ sql_string_list(taxonomy['push_mediums']) }})
            then 'Push'
        when {{ referrer }} is null then 'Direct'
        {%- for host in taxonomy['own_hosts'] %}
        when {{ referrer }} like '%{{ host }}%' then 'Direct'
        {%- endfor %}
        {%- for host in taxonomy['search_engine_hosts'] %}
        when {{ referrer }} like '%{{ host }}%' then 'Organic Search'
        {%- endfor %}
        else 'Referral'
    end
{%- endmacro %}

{#- The channels of the taxonomy, in reporting order (accepted values, marts). -#}
{% macro marketing_channels() -%}
    {{ return(['Paid Search', 'Paid Social', 'Display', 'Email', 'Push', 'Organic Search', 'Referral', 'Direct']) }}
{%- endmacro %}
