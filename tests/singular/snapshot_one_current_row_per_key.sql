{#-
    SCD2 snapshots: exactly one current version (dbt_valid_to null) per key that
    is in the snapshot's source now, none for a key that left it
    (hard_deletes: invalidate). Rows returned = keys breaking it.
-#}
{%- set snapshots = [
    {'snapshot': 'snp_customer_states', 'source': 'slv_customer_states', 'key': 'customer360_id'},
    {'snapshot': 'snp_campaign_status', 'source': 'slv_campaign_states', 'key': 'campaign_id'},
] -%}

with

{% for s in snapshots %}
versions_{{ loop.index }} as (
    select
        {{ s.key }} as snapshot_key,
        count(case when dbt_valid_to is null then 1 end) as current_versions
    from {{ ref(s.snapshot) }}
    group by {{ s.key }}
),

sources_{{ loop.index }} as (
    select distinct {{ s.key }} as source_key
    from {{ ref(s.source) }}
),

checked_{{ loop.index }} as (
    select
        '{{ s.snapshot }}' as snapshot_name,
        coalesce(versions_{{ loop.index }}.snapshot_key, sources_{{ loop.index }}.source_key) as snapshot_key,
        coalesce(versions_{{ loop.index }}.current_versions, 0) as current_versions,
        sources_{{ loop.index }}.source_key is not null as in_source
    from versions_{{ loop.index }}
    full outer join sources_{{ loop.index }}
        on versions_{{ loop.index }}.snapshot_key = sources_{{ loop.index }}.source_key
),

{% endfor %}
failures as (
    {%- for s in snapshots %}
    select * from checked_{{ loop.index }}
    where (in_source and current_versions <> 1) or (not in_source and current_versions <> 0)
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from failures
