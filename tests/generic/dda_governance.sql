{#-
    The governance rules of one model, read from its own meta (declared once,
    in the model's YAML: config.meta.governance), one failing row per breach:

      retention: column or list   GEN-03  a row older than var dq_retention_years
                                          before as_of (macro retention_cutoff)
      consent_scope: scope        GEN-04  an audience member (customer360_id)
                                          without a current opt-in for the scope
      consent_scope_column: col   GEN-04  a row whose customer has no current
                                          opt-in for the scope in its column col
                                          (one scope per row: next best actions)
      pii: {column: kind}         GEN-06  outside the PII-unmasked targets, a
                                          value not in the masked form of its
                                          kind (macro mask_pii)

    The governance report (macro dq_governance_report, on-run-end) reads the same
    meta, so the rules a model is held to and what is reported cannot drift.
-#}
{% test dda_governance(model) %}
{%- set governance = governance_of(model) -%}
{%- set checks = governance_checks(model, governance, ref('slv_customer_consents')) -%}
{%- if checks | length == 0 %}
select
    cast(null as {{ dbt.type_string() }}) as rule_id,
    cast(null as {{ dbt.type_string() }}) as detail
where 1 = 0
{%- else %}
{%- for check in checks %}
select
    '{{ check.rule_id }}' as rule_id,
    {{ check.detail }} as detail
from {{ model }} as governed
{%- if check.join %}
{{ check.join }}
{%- endif %}
where {{ check.failed }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endif %}
{% endtest %}
