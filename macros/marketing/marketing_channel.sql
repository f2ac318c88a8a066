{#-
    The marketing channel taxonomy, defined once (seed channel_taxonomy):
    Paid Search, Paid Social, Display, Email, Push, Organic Search, Referral,
    Direct. utm_medium decides first (a paid medium from a social source is
    Paid Social); without a known medium the referrer's host decides: a search
    engine is Organic Search, the shop itself or nothing is Direct, any other
    site is Referral. Inputs are SQL expressions; utm values are compared in
    lower case. The seed's signals: utm_medium (a medium and its channel),
    social_source (a paid-search medium from this source is Paid Social),
    referrer_host (a host fragment and its channel; the shop's own hosts are
    Direct and win over the others), campaign_type (the channel a campaign's
    spend belongs to, used by mart_channel_attribution). The channels in
    reporting order are domain marketing_channel of seed accepted_values.
-#}
{% macro marketing_channel(utm_source, utm_medium, referrer) -%}
    {%- set taxonomy = reference_rows('channel_taxonomy', 'signal, channel, value') -%}
    {%- set ns = namespace(mediums={}, social_sources=[], hosts=[]) -%}
    {%- for row in taxonomy -%}
        {%- if row.signal == 'utm_medium' -%}
            {%- do ns.mediums.setdefault(row.channel, []).append(row.value) -%}
        {%- elif row.signal == 'social_source' -%}
            {%- do ns.social_sources.append(row.value) -%}
        {%- elif row.signal == 'referrer_host' -%}
            {%- do ns.hosts.append(row) -%}
        {%- endif -%}
    {%- endfor -%}
    case
        {%- if 'Paid Social' in ns.mediums %}
        when lower({{ utm_medium }}) in ({{ sql_string_list(ns.mediums['Paid Social']) }})
            then 'Paid Social'
        {%- endif %}
        {%- if 'Paid Search' in ns.mediums and ns.social_sources %}
        when
            lower({{ utm_medium }}) in ({{ sql_string_list(ns.mediums['Paid Search']) }})
            and lower(coalesce({{ utm_source }}, '')) in ({{ sql_string_list(ns.social_sources) }})
            then 'Paid Social'
        {%- endif %}
        {%- for channel, mediums in ns.mediums.items() if channel != 'Paid Social' %}
        when lower({{ utm_medium }}) in ({{ sql_string_list(mediums) }})
            then '{{ channel }}'
        {%- endfor %}
        when {{ referrer }} is null then 'Direct'
        {%- for host in ns.hosts | selectattr('channel', 'equalto', 'Direct') %}
        when {{ referrer }} like '%{{ host.value }}%' then 'Direct'
        {%- endfor %}
        {%- for host in ns.hosts | rejectattr('channel', 'equalto', 'Direct') %}
        when {{ referrer }} like '%{{ host.value }}%' then '{{ host.channel }}'
        {%- endfor %}
        else 'Referral'
    end
{%- endmacro %}
