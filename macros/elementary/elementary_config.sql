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
    - Artifacts once per run: Elementary's artifact models (dbt_models, dbt_tests, dbt_columns, ...) upload
      their artifacts in their own post-hooks when a run builds them; its on-run-end upload is meant to skip
      those (elementary.get_result_node), but it matches a result by node.identifier, which dbt 1.11's
      graph nodes of models do not carry, so on-run-end flattened all of them a second time (dbt_tests 12 s,
      dbt_columns 5 s on the sample) only to find them unchanged. When every artifact model ran in this
      invocation, disable_dbt_artifacts_autoupload is true for the run-end hook; a run that did not build
      them (dbt test, a narrow --select) still uploads at its end, as Elementary intends.
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
        'disable_dbt_artifacts_autoupload': elementary_artifacts_built_this_run(),
    }) -%}
    {{- return(config) -}}
{%- endmacro %}

{#- True in the run-end hook of an invocation that built every Elementary artifact model (their post-hooks
    uploaded the artifacts already); false elsewhere (`results` exists only in on-run-end). -#}
{% macro elementary_artifacts_built_this_run() -%}
    {%- set artifact_models = ['dbt_models', 'dbt_tests', 'dbt_sources', 'dbt_snapshots', 'dbt_metrics',
        'dbt_exposures', 'dbt_seeds', 'dbt_groups', 'dbt_columns'] -%}
    {%- if results is not defined or not results -%}{{ return(false) }}{%- endif -%}
    {%- set built = [] -%}
    {%- for result in results -%}
        {%- if result.node.package_name == 'elementary' and result.node.name in artifact_models
            and result.status == 'success' -%}
            {%- do built.append(result.node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(built | unique | list | length == artifact_models | length) }}
{%- endmacro %}
