{#-
    Every source record identity resolution works on (a node of the identity
    graph): current accepted CRM customers, loyalty members, web shop accounts,
    and the anonymous devices seen in tracking. Names, e-mail and phone are
    already normalised in staging; here they are split for matching.
-#}

with

crm as (
    select
        'crm' as source_system,
        customer_id as source_id,
        first_name,
        last_name,
        email,
        phone_e164,
        date_of_birth,
        coalesce(updated_at, cast(registration_date as {{ dbt.type_timestamp() }})) as record_updated_at
    from {{ ref('brz_crm__customers') }}
    where _is_current
),

loyalty as (
    select
        'loyalty' as source_system,
        loyalty_id as source_id,
        first_name,
        last_name,
        email,
        phone_e164,
        cast(null as date) as date_of_birth,
        coalesce(updated_at, enrolled_at) as record_updated_at
    from {{ ref('brz_loyalty__members') }}
    where _is_current
),

ecom as (
    select
        'ecom' as source_system,
        web_user_id as source_id,
        first_name,
        last_name,
        email,
        phone_e164,
        cast(null as date) as date_of_birth,
        coalesce(last_login_at, created_at) as record_updated_at
    from {{ ref('brz_ecom__accounts') }}
    where _is_current
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
        max(event_at) as record_updated_at
    from {{ ref('brz_tracking__events') }}
    where _is_current and anonymous_id is not null
    group by anonymous_id
),

unioned as (
    select * from crm
    union all
    select * from loyalty
    union all
    select * from ecom
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
        record_updated_at
    from unioned
)

select * from final
