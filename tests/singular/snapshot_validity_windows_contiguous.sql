{#-
    SCD2 snapshots: per key, the validity windows neither overlap nor leave
    gaps. Ordered by dbt_valid_from, every version but the last ends exactly
    when the next one starts, and every closed window is non-empty (valid_to
    after valid_from). Rows returned = versions breaking it.
-#}
{%- set snapshots = [
    {'snapshot': 'snp_customer_states', 'key': 'customer360_id'},
    {'snapshot': 'snp_campaign_status', 'key': 'campaign_id'},
] -%}

with

{% for s in snapshots %}
windows_{{ loop.index }} as (
    select
        '{{ s.snapshot }}' as snapshot_name,
        {{ s.key }} as snapshot_key,
        dbt_valid_from,
        dbt_valid_to,
        lead(dbt_valid_from) over (partition by {{ s.key }} order by dbt_valid_from) as next_valid_from
    from {{ ref(s.snapshot) }}
),

{% endfor %}
failures as (
    {%- for s in snapshots %}
    select * from windows_{{ loop.index }}
    where
        dbt_valid_to <= dbt_valid_from
        or (next_valid_from is not null and (dbt_valid_to is null or dbt_valid_to <> next_valid_from))
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from failures
