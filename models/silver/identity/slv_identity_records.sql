{#-
    Every source record identity resolution works on (a node of the identity
    graph): the current CRM customers, loyalty members and web shop accounts
    (slv_source_records) and the anonymous devices seen in tracking inside the
    retention window (GEN-03: a device seen only before it is no longer known). Names, e-mail and phone are
    already normalised in staging; here they are split for matching.
-#}

with

source_records as (
    select
        source_system,
        source_id,
        first_name,
        last_name,
        email,
        phone_e164,
        date_of_birth,
        postal_code,
        record_updated_at
    from {{ ref('slv_source_records') }}
),

devices as (
    select
        'anonymous' as source_system,
        anonymous_id as source_id,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as phone_e164,
        cast(null as date) as date_of_birth,
        cast(null as {{ dbt.type_string() }}) as postal_code,
        max(event_at) as record_updated_at
    from {{ ref('brz_tracking__events') }}
    where _is_current and anonymous_id is not null and {{ within_retention_window('event_at') }}
    group by anonymous_id
),

unioned as (
    select * from source_records
    union all
    select * from devices
),

final as (
    select
        source_system || ':' || source_id as record_key,
        source_system,
        source_id,
        first_name,
        last_name,
        nullif(lower({{ regex_replace_all('first_name', '[^A-Za-z]', '') }}), '') as first_name_key,
        nullif(lower({{ regex_replace_all('last_name', '[^A-Za-z]', '') }}), '') as last_name_key,
        email,
        {{ dbt.split_part('email', "'@'", 1) }} as email_local,
        {{ dbt.split_part('email', "'@'", 2) }} as email_domain,
        {{ regex_replace_all(dbt.split_part('email', "'@'", 1), '[^0-9]', '') }} as email_local_digits,
        phone_e164,
        date_of_birth,
        nullif(upper({{ regex_replace_all('postal_code', '[^A-Za-z0-9]', '') }}), '') as postal_code_key,
        record_updated_at
    from unioned
)

select * from final
