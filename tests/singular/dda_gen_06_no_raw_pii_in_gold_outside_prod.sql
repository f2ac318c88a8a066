{#-
    GEN-06: outside the targets that may show PII (var pii_unmasked_targets,
    default prod), no raw e-mail or phone of a customer's source records
    appears in dim_customer or the marketing audiences. Rows returned = leaks.
-#}
{{ config(meta={'dda_rule': 'GEN-06'}, tags=['dda', 'gen_06']) }}

{% if pii_is_unmasked() %}
select
    cast(null as {{ dbt.type_string() }}) as customer360_id,
    cast(null as {{ dbt.type_string() }}) as leaked_in
where 1 = 0
{% else %}
with

records as (
    select
        customer360_id,
        email,
        phone_e164
    from {{ ref('slv_customer_records') }}
    where email is not null or phone_e164 is not null
),

customers as (
    select * from {{ ref('dim_customer') }}
),

audiences as (
    select
        customer360_id,
        contact_address
    from {{ ref('aud_email_marketing') }}
    union all
    select
        customer360_id,
        contact_address
    from {{ ref('aud_sms_offers') }}
),

leaks as (
    select
        records.customer360_id,
        'dim_customer' as leaked_in
    from records
    inner join customers on records.customer360_id = customers.customer360_id
    where
        customers.primary_email = records.email
        or customers.primary_phone = records.phone_e164
        or {{ dbt.position("'\"' || records.email || '\"'", 'customers.emails') }} > 0
        or {{ dbt.position("'\"' || records.phone_e164 || '\"'", 'customers.phones') }} > 0
    union all
    select
        records.customer360_id,
        'audience' as leaked_in
    from records
    inner join audiences on records.customer360_id = audiences.customer360_id
    where audiences.contact_address in (records.email, records.phone_e164)
)

select * from leaks
{% endif %}
