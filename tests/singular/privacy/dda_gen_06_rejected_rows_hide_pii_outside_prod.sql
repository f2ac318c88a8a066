{#-
    GEN-06 on the delivery-quality report: outside prod, no rejected-row
    detail of a CRM customer quotes the raw e-mail, phone or date of birth the
    row was delivered with (read from staging, where they are kept as
    delivered). On prod, where PII is shown, there is nothing to check.
-#}
{%- if pii_is_unmasked() %}
select cast(null as {{ dbt.type_string() }}) as record_id
where 1 = 0
{%- else %}
with

rejected as (
    select
        record_id,
        rule_id,
        detail
    from {{ ref('dq_rejected_rows') }}
    where source_table = 'crm_customers'
),

delivered as (
    select
        customer_id,
        nullif(trim(email_raw), '') as email_raw,
        nullif(trim(phone_raw), '') as phone_raw,
        nullif(trim(date_of_birth_raw), '') as date_of_birth_raw
    from {{ ref('stg_crm__customers') }}
)

select
    rejected.record_id,
    rejected.rule_id,
    rejected.detail
from rejected
inner join delivered on rejected.record_id = delivered.customer_id
where
    rejected.detail like '%' || delivered.email_raw || '%'
    or rejected.detail like '%' || delivered.phone_raw || '%'
    or rejected.detail like '%' || delivered.date_of_birth_raw || '%'
{%- endif %}
