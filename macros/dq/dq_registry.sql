{#-
    The rule registry: for every raw table, the staging model that judges its
    row rules and, where the source says when it last changed a record, the
    column that orders versions in bronze (tables without one order versions
    by load). This wiring is code: dbt must know which staging model feeds the
    delivery-quality models before any seed is loaded.

    Everything else is reference data, in seeds, read when a node executes
    (macro reference_rows): the rules of each table, its DDA entity and rule
    texts from dq_rules (kind = row; a row rule of source_table '*' applies to
    every table, e.g. GEN-07), the required fields GEN-01 counts from
    dq_required_fields (SQL expressions over the staging model's columns).

    Staging models flag each rule in a column dq_<rule> (null = pass, else what
    was wrong); dq_rejected_rows, dq_table_stats, dq_rule_summary and the
    bronze layer all read this one registry. Test
    dq_registry_matches_rule_catalogue fails when a staging model flags a rule
    the catalogue does not list, or the catalogue lists one it does not flag.

    retention: for the tables whose records silver and gold drop once older
    than the retention window (GEN-03, macro retention_cutoff), the typed
    staging column they are dated by (grain 'date' for a date column, kept
    from the cutoff's day on, as silver does), or (order lines) that column of
    the parent staging model `via`, joined on `key`. dq_table_stats counts the
    accepted rows past the cutoff; dq_row_reconciliation reports them as
    retired by GEN-03 (kept in bronze, never in silver).
-#}
{% macro dq_tables() %}
    {{ return([
        {'source_table': 'crm_customers', 'model': 'stg_crm__customers', 'version_time': 'updated_at'},
        {'source_table': 'interactions', 'model': 'stg_crm__interactions', 'retention': {'time': 'interaction_at'}},
        {'source_table': 'campaigns', 'model': 'stg_marketing__campaigns', 'retention': {'time': 'end_date', 'grain': 'date'}},
        {'source_table': 'campaign_performance', 'model': 'stg_marketing__campaign_performance',
            'retention': {'time': 'metric_date', 'grain': 'date'}},
        {'source_table': 'loyalty_members', 'model': 'stg_loyalty__members', 'version_time': 'updated_at'},
        {'source_table': 'ecom_accounts', 'model': 'stg_ecom__accounts', 'version_time': 'last_login_at'},
        {'source_table': 'products', 'model': 'stg_ecom__products'},
        {'source_table': 'consents', 'model': 'stg_consent__consents'},
        {'source_table': 'orders', 'model': 'stg_oms__orders', 'retention': {'time': 'ordered_at'}},
        {'source_table': 'order_items', 'model': 'stg_oms__order_items',
            'retention': {'time': 'ordered_at', 'via': 'stg_oms__orders', 'key': 'order_id'}},
        {'source_table': 'payments', 'model': 'stg_oms__payments', 'retention': {'time': 'paid_at'}},
        {'source_table': 'events', 'model': 'stg_tracking__events', 'retention': {'time': 'event_at'}},
        {'source_table': 'support_tickets', 'model': 'stg_support__tickets', 'retention': {'time': 'opened_at'}},
        {'source_table': 'nps_responses', 'model': 'stg_support__nps_responses', 'retention': {'time': 'responded_at'}}
    ]) }}
{% endmacro %}

{#- dq_tables() with rules, entity and required fields from the seeds (empty lists while parsing). -#}
{% macro dq_registry() %}
    {%- set rules = reference_rows('dq_rules', 'rule_id') -%}
    {%- set required = reference_rows('dq_required_fields', 'source_table, field_order') -%}
    {%- set registry = [] -%}
    {%- for table in dq_tables() -%}
        {%- set entry = {'entity': none, 'rules': [], 'required': []} -%}
        {%- do entry.update(table) -%}
        {%- for rule in rules if rule.kind == 'row' and rule.source_table == table.source_table -%}
            {%- do entry.rules.append(rule.rule_id) -%}
            {%- do entry.update({'entity': rule.entity}) -%}
        {%- endfor -%}
        {#- row rules of every table (source_table '*', e.g. GEN-07 erased persons), after the table's own -#}
        {%- for rule in rules if rule.kind == 'row' and rule.source_table == '*' -%}
            {%- do entry.rules.append(rule.rule_id) -%}
        {%- endfor -%}
        {%- for field in required if field.source_table == table.source_table -%}
            {%- do entry.required.append(field.field_expression) -%}
        {%- endfor -%}
        {%- if execute and entry.rules | length == 0 -%}
            {{ exceptions.raise_compiler_error("seed dq_rules lists no row rule for raw table '" ~ table.source_table ~ "' (seeds/reference/dq_rules.csv)") }}
        {%- endif -%}
        {%- do registry.append(entry) -%}
    {%- endfor -%}
    {{ return(registry) }}
{% endmacro %}

{#- The wiring of one staging model (dq_tables(): source table, version_time); needs no seed. -#}
{% macro dq_registry_entry_for_model(model_name) %}
    {%- for entry in dq_tables() -%}
        {%- if entry.model == model_name -%}{{ return(entry) }}{%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("no DQ registry entry for staging model '" ~ model_name ~ "' (macros/dq/dq_registry.sql)") }}
{% endmacro %}

{#- The registry entry of one raw table, rules and required fields included. -#}
{% macro dq_registry_entry(source_table) %}
    {%- for entry in dq_registry() -%}
        {%- if entry.source_table == source_table -%}{{ return(entry) }}{%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("no DQ registry entry for raw table '" ~ source_table ~ "' (macros/dq/dq_registry.sql)") }}
{% endmacro %}

{#- dq_cus_01 for CUS-01 -#}
{% macro dq_column(rule_id) -%}
    dq_{{ rule_id | lower | replace('-', '_') }}
{%- endmacro %}
