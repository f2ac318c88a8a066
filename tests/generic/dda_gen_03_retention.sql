{#-
    GEN-03 retention: rows whose time column is older than var
    dq_retention_years (5) before the run's as_of. Silver and gold hold
    nothing older; attach to the event time of every fact and the last
    activity of every dimension.
-#}
{% test dda_gen_03_retention(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ retention_cutoff() }}
{% endtest %}
