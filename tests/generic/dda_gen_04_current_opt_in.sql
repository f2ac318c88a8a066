{#-
    GEN-04: members of a marketing audience without a current opt-in for the
    consent scope of the audience's channel (slv_customer_consents: the latest
    consent per customer and scope).
-#}
{% test dda_gen_04_current_opt_in(model, column_name, scope) %}
select audience.{{ column_name }}
from {{ model }} as audience
left join {{ ref('slv_customer_consents') }} as consents
    on
        audience.{{ column_name }} = consents.customer360_id
        and consents.scope = '{{ scope }}'
        and consents.is_opted_in
where consents.customer360_id is null
{% endtest %}
