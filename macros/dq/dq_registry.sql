{#-
    The row rules of every raw table: which staging model judges them, the
    DDA entity, the record key, and the required fields counted by GEN-01.
    version_time: the column that says when the source last changed a record
    (bronze makes the version with the latest one current); tables without one
    order versions by load.
    Staging models flag each rule in a column dq_<rule> (null = pass, else
    what was wrong); dq_rejected_rows, dq_rule_summary and the bronze layer
    all read this one registry. Rule texts live in seeds/reference/dq_rules.csv
    (a test keeps the two in step).
-#}
{% macro dq_registry() %}
    {{ return([
        {'source_table': 'crm_customers', 'model': 'stg_crm__customers', 'entity': 'Customer',
         'rules': ['CUS-01', 'CUS-02', 'CUS-03', 'CUS-04', 'CUS-05', 'CUS-06'],
         'required': ['customer_id', 'first_name', 'last_name', 'registration_date_raw', 'coalesce(email, phone_e164)'],
         'version_time': 'updated_at'},
        {'source_table': 'interactions', 'model': 'stg_crm__interactions', 'entity': 'Customer Interaction',
         'rules': ['INT-01', 'INT-02', 'INT-03', 'INT-04', 'INT-05', 'INT-06', 'INT-07', 'INT-08'],
         'required': ['interaction_id', 'customer_id', 'interaction_type', 'interaction_at_raw', 'duration_minutes_raw', 'outcome', 'recorded_at_raw']},
        {'source_table': 'campaigns', 'model': 'stg_marketing__campaigns', 'entity': 'Campaign',
         'rules': ['CMP-01', 'CMP-02', 'CMP-03', 'CMP-04', 'CMP-05', 'CMP-06'],
         'required': ['campaign_id', 'campaign_name', 'campaign_type', 'start_date_raw', 'end_date_raw', 'budget_raw', 'status']},
        {'source_table': 'campaign_performance', 'model': 'stg_marketing__campaign_performance', 'entity': 'Campaign Performance',
         'rules': ['PRF-01', 'PRF-02', 'PRF-03', 'PRF-04', 'PRF-05', 'PRF-07'],
         'required': ['performance_id', 'campaign_id', 'metric_date_raw', 'impressions_raw', 'clicks_raw', 'conversions_raw', 'revenue_raw', 'cost_raw']},
        {'source_table': 'loyalty_members', 'model': 'stg_loyalty__members', 'entity': 'Loyalty Member',
         'rules': ['LOY-01', 'LOY-02', 'LOY-03', 'LOY-04'],
         'required': ['loyalty_id', 'tier', 'points_balance_raw', 'enrolled_at_raw'],
         'version_time': 'updated_at'},
        {'source_table': 'ecom_accounts', 'model': 'stg_ecom__accounts', 'entity': 'E-commerce Account',
         'rules': ['ECM-01', 'ECM-02'],
         'required': ['web_user_id', 'email_raw', 'created_at_raw'],
         'version_time': 'last_login_at'},
        {'source_table': 'products', 'model': 'stg_ecom__products', 'entity': 'Product',
         'rules': ['PRD-01', 'PRD-02', 'PRD-03'],
         'required': ['product_id', 'product_name', 'category', 'unit_price_raw']},
        {'source_table': 'consents', 'model': 'stg_consent__consents', 'entity': 'Consent',
         'rules': ['CON-01', 'CON-02', 'CON-03', 'CON-04', 'CON-05', 'CON-06'],
         'required': ['consent_id', 'source_system', 'source_id', 'scope', 'status', 'captured_at_raw']},
        {'source_table': 'orders', 'model': 'stg_oms__orders', 'entity': 'Order',
         'rules': ['ORD-01', 'ORD-02', 'ORD-03', 'ORD-04', 'ORD-05', 'ORD-06'],
         'required': ['order_id', 'ordered_at_raw', 'status', 'sales_channel', 'currency']},
        {'source_table': 'order_items', 'model': 'stg_oms__order_items', 'entity': 'Order Item',
         'rules': ['OIT-01', 'OIT-02', 'OIT-03', 'OIT-04', 'OIT-05'],
         'required': ['order_id', 'line_number_raw', 'product_id', 'quantity_raw', 'unit_price_raw']},
        {'source_table': 'payments', 'model': 'stg_oms__payments', 'entity': 'Payment',
         'rules': ['PAY-01', 'PAY-02', 'PAY-03', 'PAY-04', 'PAY-05', 'PAY-06'],
         'required': ['payment_id', 'order_id', 'payment_method', 'amount_cents_raw', 'status', 'paid_at_raw']},
        {'source_table': 'events', 'model': 'stg_tracking__events', 'entity': 'Event',
         'rules': ['EVT-01', 'EVT-02', 'EVT-03', 'EVT-04', 'EVT-05', 'EVT-06'],
         'required': ['event_id', 'event_at_raw', 'event_type', 'platform']},
        {'source_table': 'support_tickets', 'model': 'stg_support__tickets', 'entity': 'Support Ticket',
         'rules': ['SUP-01', 'SUP-02', 'SUP-03', 'SUP-04', 'SUP-05', 'SUP-06'],
         'required': ['ticket_id', 'customer_id', 'opened_at_raw', 'channel']},
        {'source_table': 'nps_responses', 'model': 'stg_support__nps_responses', 'entity': 'NPS Response',
         'rules': ['NPS-01', 'NPS-02', 'NPS-03', 'NPS-04'],
         'required': ['response_id', 'customer_id', 'responded_at_raw', 'nps_score_raw']},
    ]) }}
{% endmacro %}

{% macro dq_registry_entry_for_model(model_name) %}
    {%- for entry in dq_registry() -%}
        {%- if entry.model == model_name -%}{{ return(entry) }}{%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("no DQ registry entry for staging model '" ~ model_name ~ "' (macros/dq/dq_registry.sql)") }}
{% endmacro %}

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
