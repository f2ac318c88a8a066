{#-
    Every current accepted record of the three systems that know people (CRM,
    loyalty, e-commerce) in one shape: the attributes identity resolution
    matches on and survivorship chooses from. Read by slv_identity_records
    (the identity graph) and slv_customer_records (the records of each
    resolved customer).
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
        gender,
        country_code,
        region,
        city,
        postal_code,
        preferred_language,
        customer_segment,
        crm_lifetime_value,
        cast(null as {{ dbt.type_string() }}) as loyalty_tier,
        cast(null as {{ dbt.type_bigint() }}) as loyalty_points_balance,
        cast(registration_date as {{ dbt.type_timestamp() }}) as first_seen_at,
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
        cast(null as {{ dbt.type_string() }}) as gender,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as postal_code,
        cast(null as {{ dbt.type_string() }}) as preferred_language,
        cast(null as {{ dbt.type_string() }}) as customer_segment,
        cast(null as {{ dbt.type_numeric() }}) as crm_lifetime_value,
        tier as loyalty_tier,
        points_balance as loyalty_points_balance,
        enrolled_at as first_seen_at,
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
        cast(null as {{ dbt.type_string() }}) as gender,
        country_code,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as postal_code,
        cast(null as {{ dbt.type_string() }}) as preferred_language,
        cast(null as {{ dbt.type_string() }}) as customer_segment,
        cast(null as {{ dbt.type_numeric() }}) as crm_lifetime_value,
        cast(null as {{ dbt.type_string() }}) as loyalty_tier,
        cast(null as {{ dbt.type_bigint() }}) as loyalty_points_balance,
        created_at as first_seen_at,
        coalesce(last_login_at, created_at) as record_updated_at
    from {{ ref('brz_ecom__accounts') }}
    where _is_current
),

unioned as (
    select * from crm
    union all
    select * from loyalty
    union all
    select * from ecom
),

final as (
    select * from unioned
)

select * from final
