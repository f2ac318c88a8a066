{#-
    A DDA table rule (GEN-01, GEN-02, PRF-06, GEN-05) breached in this run:
    the rows of dq_rule_summary where it reports `fail`, one per entity.
    Severity comes from var dq_threshold_severity (warn by default: the bad
    rows are already held back, so a breach is reported, not blocking).
-#}
{% test dda_rule_not_failed(model, rule_id) %}
select *
from {{ model }}
where rule_id = '{{ rule_id }}' and status = 'fail'
{% endtest %}
