{#-
    Elementary's settings for this project, in one place. Elementary reads its settings with
    elementary.get_config_var(), i.e. var(name, <its default>), with the defaults of
    elementary.get_default_config(); that macro is dispatched, and dbt_project.yml puts this
    project first in the `elementary` dispatch order, so the defaults below apply to every
    Elementary macro (tests, run-start and run-end hooks). A --vars value still overrides them.

    - custom_run_started_at: the anomaly monitors' "now" is the project's as_of (empty as_of = the
      wall clock, as everywhere else), so the sample build judges the days before 2026-06-30
      instead of an empty fortnight around today.
    - force_metrics_backfill: every run computes its buckets over the whole training period. Incrementally,
      Elementary starts the backfill of an incremental model (bronze) at as_of minus the detection days, which
      for weekly buckets is not a week boundary unless as_of falls on one: a second run on the same warehouse
      then judged a 7-day window straddling two weeks (a false freshness alarm on the sparse tables).
    - PII: no failing-row samples from models tagged `pii` (dbt_project.yml tags every layer that
      holds personal data: staging, bronze, silver, dq and the gold customer marts and audiences).
    - Cost: the artifacts (dbt_models, dbt_tests, dbt_sources, ...) are uploaded only when they changed
      (diff against dbt_artifacts_hashes), and every insert goes as one JSON literal per chunk
      (macros/elementary/elementary_insert_rows.sql); run results and test
      results are kept, since they are what the report shows (see README, "Packages").
-#}
{% macro default__get_default_config() -%}
    {%- set config = elementary.default__get_default_config() -%}
    {%- set as_of = var('as_of') -%}
    {%- if as_of -%}
        {#- fromisoformat in Elementary: a naive UTC timestamp, like dbt's run_started_at rendering -#}
        {%- do config.update({'custom_run_started_at': modules.datetime.datetime.fromisoformat(as_of | replace('Z', '+00:00')).astimezone(modules.pytz.utc).replace(tzinfo=none).isoformat()}) -%}
    {%- endif -%}
    {%- do config.update({
        'disable_samples_on_pii_tags': true,
        'pii_tags': ['pii'],
        'upload_artifacts_method': 'diff',
        'cache_artifacts': true,
        'anomaly_sensitivity': 3,
        'min_training_set_size': 7,
        'force_metrics_backfill': true,
    }) -%}
    {{- return(config) -}}
{%- endmacro %}
