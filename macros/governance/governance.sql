{#-
    GEN-03, GEN-04 and GEN-06 are declared once per model, in its YAML:

        config:
          meta:
            governance:
              retention: ordered_at            # or a list of columns (GEN-03)
              consent_scope: email_marketing   # audiences (GEN-04)
              consent_scope_column: consent_scope  # GEN-04 when the scope varies by row
              pii: {primary_email: email}      # column: mask_pii kind (GEN-06)

    The generic test dda_governance and the on-run-end report
    dq_governance_report both turn that meta into checks with
    governance_checks(), so what is tested and what is reported are the same.
-#}

{#- The governance meta of a model node, or of the model a relation was built from ({} when none). -#}
{% macro governance_of(relation) -%}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and (node.alias or node.name) | lower == relation.identifier | lower
            and node.schema | lower == relation.schema | lower -%}
            {{ return(node.config.meta.get('governance', node.meta.get('governance', {}))) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return({}) }}
{%- endmacro %}

{#- Is `value_sql` in the masked form mask_pii gives values of this kind? -#}
{% macro pii_is_masked_sql(value_sql, kind) -%}
    {%- if kind == 'email' -%}
        {{ value_sql }} like '%***%@%'
    {%- elif kind == 'phone' -%}
        {{ value_sql }} like '+***%'
    {%- elif kind == 'name' -%}
        ({{ dbt.length(value_sql) }} = 2 and {{ value_sql }} like '%.')
    {%- elif kind == 'date' -%}
        cast({{ dbt.date_trunc('year', value_sql) }} as date) = cast({{ value_sql }} as date)
    {%- elif kind == 'postal_code' -%}
        {{ value_sql }} like '%***'
    {%- elif kind == 'text' -%}
        {{ dbt.length(value_sql) }} = 12
    {%- else -%}
        {{ exceptions.raise_compiler_error("governance meta: unknown pii kind '" ~ kind ~ "' (email, phone, name, date, postal_code, text)") }}
    {%- endif -%}
{%- endmacro %}

{#-
    The checks of one model's governance meta, over the model aliased
    `governed`: a list of {rule_id, target, detail, failed, join}, where
    `failed` is a predicate true on a breaching row; `consents` is the relation
    of slv_customer_consents (GEN-04). An unknown key fails fast.
-#}
{% macro governance_checks(relation, governance, consents) -%}
    {%- set known = ['retention', 'consent_scope', 'consent_scope_column', 'pii'] -%}
    {%- for key in governance -%}
        {%- if key not in known -%}
            {{ exceptions.raise_compiler_error("governance meta of " ~ relation ~ ": unknown key '" ~ key ~ "' (" ~ known | join(', ') ~ ")") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set checks = [] -%}
    {%- set retention = governance.get('retention', []) -%}
    {%- for column in ([retention] if retention is string else retention) -%}
        {%- do checks.append({
            'rule_id': 'GEN-03', 'target': column, 'join': none,
            'detail': "'" ~ column ~ "=' || cast(governed." ~ column ~ " as " ~ dbt.type_string() ~ ")",
            'failed': 'governed.' ~ column ~ ' < ' ~ retention_cutoff()}) -%}
    {%- endfor -%}
    {%- if governance.get('consent_scope') -%}
        {%- set scope = governance.consent_scope -%}
        {%- do checks.append({
            'rule_id': 'GEN-04', 'target': scope,
            'join': 'left join ' ~ consents ~ " as consents on governed.customer360_id = consents.customer360_id and consents.scope = '"
                ~ scope ~ "' and consents.is_opted_in",
            'detail': "'customer360_id=' || governed.customer360_id",
            'failed': 'consents.customer360_id is null'}) -%}
    {%- endif -%}
    {%- if governance.get('consent_scope_column') -%}
        {#- one scope per row (an action's channel): the row's own scope must be opted in -#}
        {%- set column = governance.consent_scope_column -%}
        {%- do checks.append({
            'rule_id': 'GEN-04', 'target': column,
            'join': 'left join ' ~ consents ~ ' as consents on governed.customer360_id = consents.customer360_id'
                ~ ' and consents.scope = governed.' ~ column ~ ' and consents.is_opted_in',
            'detail': "'customer360_id=' || governed.customer360_id || ' ' || '" ~ column ~ "=' || coalesce(governed."
                ~ column ~ ", 'null')",
            'failed': 'consents.customer360_id is null'}) -%}
    {%- endif -%}
    {%- if not pii_is_unmasked() -%}
        {%- for column, kind in governance.get('pii', {}).items() -%}
            {%- do checks.append({
                'rule_id': 'GEN-06', 'target': column, 'join': none,
                'detail': "'" ~ column ~ " is not masked as " ~ kind ~ "'",
                'failed': 'governed.' ~ column ~ ' is not null and not (' ~ pii_is_masked_sql('governed.' ~ column, kind) ~ ')'}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(checks) }}
{%- endmacro %}

{#-
    on-run-end: dq_governance_report in the dq schema, one row per governed
    model and check (GEN-03 per retention column, GEN-04, GEN-06 per PII
    column): rows checked, rows failed, status, and whether the model carries
    the dda_governance test. Governed models are found in the graph by their
    meta, so the report covers exactly what the tests check; models not built
    yet are left out. Runs after build and run only.
-#}
{% macro dq_governance_report() -%}
    {%- if not execute or flags.WHICH not in ['build', 'run'] -%}{{ return('') }}{%- endif -%}
    {%- set tested = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'test' and node.test_metadata and node.test_metadata.name == 'dda_governance' -%}
            {%- do tested.extend(node.depends_on.nodes) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set ns = namespace(consents=none) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == 'slv_customer_consents' -%}
        {%- set ns.consents = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias or node.name) -%}
    {%- endfor -%}
    {%- set selects = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name') -%}
        {%- set governance = node.config.meta.get('governance', {}) if node.resource_type == 'model' else {} -%}
        {%- if governance -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias or node.name) -%}
            {%- if relation is not none -%}
                {%- for check in governance_checks(relation, governance, ns.consents) -%}
                    {%- do selects.append(
                        "select '" ~ check.rule_id ~ "' as rule_id, '" ~ node.name ~ "' as model_name, '"
                        ~ node.fqn[1] ~ "' as layer, '" ~ check.target ~ "' as checked_target, "
                        ~ ('true' if node.unique_id in tested else 'false') ~ " as is_tested, count(*) as checked_rows, "
                        ~ "sum(case when " ~ check.failed ~ " then 1 else 0 end) as failed_rows from " ~ relation ~ " as governed "
                        ~ (check.join or '')) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if selects | length == 0 -%}{{ return('') }}{%- endif -%}
    {%- set report = api.Relation.create(database=target.database, schema=generate_schema_name('dq', none) | trim,
        identifier='dq_governance_report') -%}
    {%- do adapter.create_schema(report) -%}
    {%- do run_query('drop table if exists ' ~ report) -%}
    {%- set sql -%}
        create table {{ report }} as
        with checks as (
            {{ selects | join('\n            union all\n            ') }}
        )
        select
            rule_id,
            model_name,
            layer,
            checked_target,
            is_tested,
            checked_rows,
            coalesce(failed_rows, 0) as failed_rows,
            case when coalesce(failed_rows, 0) = 0 then 'pass' else 'fail' end as status,
            {{ as_of_timestamp() }} as as_of,
            '{{ invocation_id }}' as run_id
        from checks
    {%- endset -%}
    {%- do run_query(sql) -%}
    {%- do log('dq_governance_report: ' ~ selects | length ~ ' checks of GEN-03/04/06 written to ' ~ report, info=true) -%}
    {%- do governance_into_rule_summary(report) -%}
    {{ return('') }}
{%- endmacro %}

{#-
    The DDA's one relation of rule results: after the report is written, its
    GEN-03/04/06 rows (one per model and rule: rows checked, and the most rows
    failing one of its checks) replace those of dq_rule_summary, which the dq model
    builds from the delivery rules alone (so it stays beside bronze).
    Idempotent: a later run replaces the rows again.
-#}
{% macro governance_into_rule_summary(report) -%}
    {%- set ns = namespace(summary=none, rules=none) -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.name == 'dq_rule_summary' -%}
            {%- set ns.summary = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias or node.name) -%}
        {%- elif node.resource_type == 'seed' and node.name == 'dq_rules' -%}
            {%- set ns.rules = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias or node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if ns.summary is none or ns.rules is none -%}{{ return('') }}{%- endif -%}
    {%- do run_query("delete from " ~ ns.summary ~ " where rule_id in ('GEN-03', 'GEN-04', 'GEN-06')") -%}
    {%- set sql -%}
        insert into {{ ns.summary }}
            (rule_id, entity, source_table, rule_kind, rule_description, checked_rows, failed_rows, failed_pct,
             threshold_pct, status, as_of, run_id, run_started_at)
        select
            per_model.rule_id,
            per_model.model_name,
            per_model.model_name,
            'table',
            rules.description,
            per_model.checked_rows,
            per_model.failed_rows,
            case
                when per_model.checked_rows > 0
                    then round(cast(100.0 * per_model.failed_rows / per_model.checked_rows as {{ dbt.type_numeric() }}), 3)
                else 0
            end,
            0,
            case when per_model.failed_rows = 0 then 'pass' else 'fail' end,
            {{ as_of_timestamp() }},
            '{{ invocation_id }}',
            cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
        from (
            select
                rule_id,
                model_name,
                max(checked_rows) as checked_rows,
                max(failed_rows) as failed_rows
            from {{ report }}
            group by rule_id, model_name
        ) as per_model
        left join {{ ns.rules }} as rules
            on per_model.rule_id = rules.rule_id
    {%- endset -%}
    {%- do run_query(sql) -%}
    {%- do governance_into_rule_history(ns.summary, 'rule_id, entity, source_table, rule_kind, rule_description, '
        ~ 'checked_rows, failed_rows, failed_pct, threshold_pct, status, as_of, run_id, run_started_at') -%}
{%- endmacro %}

{#-
    When dq_rule_summary_history took this run's rows (it ran in this
    invocation), the GEN-03/04/06 rows just written into dq_rule_summary are
    appended to it too, so every run's history holds every rule.
-#}
{% macro governance_into_rule_history(summary, columns) -%}
    {%- set ns = namespace(history=none) -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.name == 'dq_rule_summary_history' -%}
            {%- set ns.history = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias or node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if ns.history is none -%}{{ return('') }}{%- endif -%}
    {%- set this_run = run_query("select count(*) from " ~ ns.history ~ " where run_id = '" ~ invocation_id ~ "'") -%}
    {%- if this_run.rows[0][0] == 0 -%}{{ return('') }}{%- endif -%}
    {#- the columns are named, not introspected: an introspection query would open a transaction the hook rolls back -#}
    {%- do run_query("delete from " ~ ns.history ~ " where run_id = '" ~ invocation_id ~ "' and rule_id in ('GEN-03', 'GEN-04', 'GEN-06')") -%}
    {%- do run_query("insert into " ~ ns.history ~ " (" ~ columns ~ ") select " ~ columns ~ " from " ~ summary
        ~ " where rule_id in ('GEN-03', 'GEN-04', 'GEN-06')") -%}
{%- endmacro %}
