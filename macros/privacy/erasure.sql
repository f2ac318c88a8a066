{#-
    GDPR erasure and access requests.

      dbt run-operation erase_person --args '{person: CRM-0000123, requested_by: dpo@example.com, reason: ticket 42}'
      dbt run-operation export_person --args '{person: loyalty:LOY-000456}'   (scripts/export_person.py writes the file)

    The person is named by customer360_id or any source id (optionally source_system:source_id) and resolved
    through slv_customer_id_map. Their identifiers are collected generically: every base table of the project's
    schemas (var gdpr_erasure_layers) is scanned, and each of its columns named in var gdpr_person_columns holds
    one kind of identifier (person_id, email, phone, order_id, event_id, ...). Starting from the person's ids
    (customer360_id and every source id of the map), the rows matching them give the other kinds (e-mails,
    phones, the ids of their orders, payments, tickets, events, sessions, ...), repeated until nothing new is
    found. erase_person deletes every row matching any of them, writes one audit row per relation touched to
    <prefix>_privacy.erasure_log and adds the identifiers, as keyed hashes, to erasure_suppression, which
    staging reads (dq_erased_problem, rule GEN-07). The two privacy tables are never built by dbt: the
    on-run-start hook and the operations create them if missing.
-#}

{#- The schema of the erasure log and suppression list (never a model's schema). -#}
{% macro erasure_schema() -%}
    {{ return(generate_schema_name('privacy', none) | trim) }}
{%- endmacro %}

{% macro erasure_relation(name) -%}
    {{ return(api.Relation.create(database=target.database, schema=erasure_schema(), identifier=name, type='table')) }}
{%- endmacro %}

{#- on-run-start (and the operations): create the privacy schema and its two tables if missing. Idempotent. -#}
{% macro erasure_prepare() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set text = dbt.type_string() -%}
    {%- do run_query('create schema if not exists ' ~ adapter.quote(erasure_schema())) -%}
    {%- do run_query('create table if not exists ' ~ erasure_relation('erasure_log') ~ ' (request_id ' ~ text
        ~ ', erased_at ' ~ dbt.type_timestamp() ~ ', requested_by ' ~ text ~ ', reason ' ~ text
        ~ ', person_hash ' ~ text ~ ', relation_name ' ~ text ~ ', rows_deleted ' ~ dbt.type_bigint() ~ ')') -%}
    {%- do run_query('create table if not exists ' ~ erasure_relation('erasure_suppression') ~ ' (request_id ' ~ text
        ~ ', id_kind ' ~ text ~ ', id_hash ' ~ text ~ ', added_at ' ~ dbt.type_timestamp() ~ ')') -%}
    {%- if target.type == 'postgres' -%}{%- do run_query('commit') -%}{%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#-
    GEN-07 in staging: the first person column of the raw row (source contract columns named in var
    gdpr_person_columns) whose keyed hash is on the suppression list, reported as 'erased on request <id>' (no
    PII). Ids are compared trimmed, e-mails trimmed and lower-cased, phones as staging normalises them (E.164,
    with the row's country when the table has one). Null when no column matches or the table has no person
    column. A unit test's context has no graph: there the rule passes every row (tests/pytest/test_erasure.py
    tests it end to end on both engines).
-#}
{% macro dq_erased_problem(source_table) -%}
    {%- if not execute or graph.sources is not defined -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- set table = graph.sources.values() | selectattr('name', 'equalto', source_table) | first -%}
        {%- if not table -%}
            {{ exceptions.raise_compiler_error("dq_erased_problem: no source table '" ~ source_table ~ "'") }}
        {%- endif -%}
        {%- set kinds = var('gdpr_person_columns') -%}
        {%- set names = table.columns.keys() | map('lower') | list -%}
        {%- set matched = [] -%}
        {%- for name in names if name in kinds and kinds[name] not in erasure_text_kinds() -%}
            {%- do matched.append(name) -%}
        {%- endfor -%}
        {%- set suppression = erasure_relation('erasure_suppression') -%}
        {%- if matched | length == 0 or not erasure_suppression_has_rows(suppression) -%}
            cast(null as {{ dbt.type_string() }})
        {%- else -%}
            case
            {%- for name in matched %}
                {%- set kind = kinds[name] -%}
                {%- if kind == 'email' -%}
                    {%- set value = 'lower(trim(' ~ name ~ '))' -%}
                {%- elif kind == 'phone' -%}
                    {%- set value = normalize_phone(name, 'country' if 'country' in names else none) -%}
                {%- else -%}
                    {%- set value = 'trim(' ~ name ~ ')' -%}
                {%- endif %}
                when {{ pii_keyed_hash(value) }} in (select id_hash from {{ suppression }})
                    then 'erased on request ' || (
                        select min(request_id) from {{ suppression }}
                        where id_hash = {{ pii_keyed_hash(value) }}
                    )
            {%- endfor %}
            end
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#-
    Whether anyone was ever erased: with an empty (or missing) suppression list GEN-07 compiles to null, so a
    delivery pays for hashing its person columns only once the list holds someone. Staging is compiled at every
    build, so a build after an erasure always checks.
-#}
{% macro erasure_suppression_has_rows(suppression) -%}
    {%- set found = adapter.get_relation(database=suppression.database, schema=suppression.schema,
        identifier=suppression.identifier) -%}
    {%- if found is none -%}{{ return(false) }}{%- endif -%}
    {%- set counted = run_query('select count(*) from ' ~ suppression) -%}
    {{ return((counted.columns[0].values()[0] | int) > 0) }}
{%- endmacro %}

{#- Kinds of var gdpr_person_columns that are free text quoting identifiers, not identifiers. -#}
{% macro erasure_text_kinds() -%}
    {{ return(['record_key', 'text']) }}
{%- endmacro %}

{#- Kinds that name the person themselves (the start of the search), not one of their records or contacts. -#}
{% macro erasure_person_kinds() -%}
    {{ return(['person_id']) }}
{%- endmacro %}

{#- Kinds found from the person's rows but never used to find more rows: an e-mail or phone may be shared. -#}
{% macro erasure_contact_kinds() -%}
    {{ return(['email', 'phone']) }}
{%- endmacro %}

{#-
    The person: the customer360_id that `person` names in slv_customer_id_map (a customer360_id, a source id or
    source_system:source_id). Fails with what to do when the map is missing or the id unknown or ambiguous.
-#}
{% macro erasure_resolve(person) -%}
    {%- set person = (person | string) | trim -%}
    {%- if person == '' or person == 'None' -%}
        {{ exceptions.raise_compiler_error("give the person to look up: --args '{person: <customer360_id, source id or source_system:source_id>}'") }}
    {%- endif -%}
    {%- set map = load_relation(ref('slv_customer_id_map')) -%}
    {%- if map is none -%}
        {{ exceptions.raise_compiler_error("slv_customer_id_map does not exist in " ~ ref('slv_customer_id_map') ~ ": build silver (dbt build --select path:models/silver) before an erasure or export on target " ~ target.name) }}
    {%- endif -%}
    {%- set system, source_id = none, person -%}
    {%- if ':' in person -%}
        {%- set parts = person.split(':', 1) -%}
        {%- set system, source_id = parts[0] | trim, parts[1] | trim -%}
    {%- endif -%}
    {%- set sql -%}
        select distinct customer360_id from {{ map }}
        where
            customer360_id = '{{ person | replace("'", "''") }}'
            or (source_id = '{{ source_id | replace("'", "''") }}'
                {%- if system %} and source_system = '{{ system | replace("'", "''") }}'{% endif %})
        order by customer360_id
    {%- endset -%}
    {%- set ids = run_query(sql).columns[0].values() | list -%}
    {%- if ids | length == 0 -%}
        {%- set suppression = load_relation(erasure_relation('erasure_suppression')) -%}
        {%- if suppression is not none -%}
            {%- set earlier = run_query("select min(request_id) from " ~ suppression ~ " where id_hash = "
                ~ pii_keyed_hash("'" ~ (source_id | replace("'", "''")) ~ "'")).columns[0].values()[0] -%}
            {%- if earlier -%}
                {{ exceptions.raise_compiler_error("person '" ~ person ~ "' was erased by request " ~ earlier ~ " (" ~ suppression ~ "); nothing is left to erase or export") }}
            {%- endif -%}
        {%- endif -%}
        {{ exceptions.raise_compiler_error("person '" ~ person ~ "' is neither a customer360_id nor a source id of " ~ map ~ " (give a customer360_id, a source id or source_system:source_id, e.g. crm:CRM-0000123)") }}
    {%- elif ids | length > 1 -%}
        {{ exceptions.raise_compiler_error("person '" ~ person ~ "' is ambiguous: it names " ~ ids | length ~ " customers in " ~ map ~ "; prefix it with its source system (source_system:source_id) or give the customer360_id") }}
    {%- endif -%}
    {{ return(ids[0]) }}
{%- endmacro %}

{#-
    The base tables of the project's schemas (var gdpr_erasure_layers) with their columns named in var
    gdpr_person_columns: a list of {relation, columns: {column: kind}}, tables without such a column left out.
-#}
{% macro erasure_tables() -%}
    {%- set kinds = var('gdpr_person_columns') -%}
    {%- set schemas = [] -%}
    {%- for layer in var('gdpr_erasure_layers') -%}
        {%- do schemas.append((generate_schema_name(layer, none) | trim) | lower) -%}
    {%- endfor -%}
    {%- set sql -%}
        select c.table_schema, c.table_name, c.column_name
        from information_schema.columns as c
        inner join information_schema.tables as t
            on c.table_catalog = t.table_catalog and c.table_schema = t.table_schema and c.table_name = t.table_name
        where
            lower(c.table_schema) in ({{ sql_string_list(schemas) }})
            and lower(c.table_catalog) = '{{ target.database | lower }}'
            and t.table_type = 'BASE TABLE'
        order by c.table_schema, c.table_name, c.ordinal_position
    {%- endset -%}
    {%- set by_table = {} -%}
    {%- set order = [] -%}
    {%- for row in run_query(sql) -%}
        {%- set key = row[0] ~ '.' ~ row[1] -%}
        {%- if key not in by_table -%}
            {%- do by_table.update({key: {'schema': row[0], 'table': row[1], 'columns': {}}}) -%}
            {%- do order.append(key) -%}
        {%- endif -%}
        {%- if (row[2] | lower) in kinds -%}
            {%- do by_table[key].columns.update({row[2]: kinds[row[2] | lower]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set tables = [] -%}
    {%- for key in order if by_table[key].columns -%}
        {%- set entry = by_table[key] -%}
        {%- do tables.append({'relation': api.Relation.create(database=target.database, schema=entry.schema, identifier=entry.table, type='table'), 'columns': entry.columns}) -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}

{#-
    SQL condition: a row of a table with these person columns ({column: kind}) holds one of the identifiers
    ({kind: [values]}); restricted to the columns of the kinds in `only` when given. 'false' when none applies.
    person_id columns match any of the person's ids; email columns compare trimmed and lower-cased; a
    record_key column (dq_rejected_rows.record_id) matches any identifier or "<identifier>:..." (order line
    keys); a text column (a rule's detail) matches when it contains an identifier of at least 6 characters.
-#}
{% macro erasure_condition(columns, identifiers, only=none) -%}
    {%- set all_values = [] -%}
    {%- for values in identifiers.values() -%}{%- do all_values.extend(values) -%}{%- endfor -%}
    {%- set terms = [] -%}
    {%- for column, kind in columns.items() if only is none or kind in only -%}
        {%- set col = 'cast(' ~ adapter.quote(column) ~ ' as ' ~ dbt.type_string() ~ ')' -%}
        {%- if kind == 'text' -%}
            {%- for value in all_values | map('lower') | unique if value | length >= 6 -%}
                {%- do terms.append('lower(' ~ col ~ ") like '%" ~ (value | replace("'", "''") | replace('!', '!!') | replace('%', '!%') | replace('_', '!_')) ~ "%' escape '!'") -%}
            {%- endfor -%}
        {%- elif kind == 'record_key' -%}
            {%- if all_values -%}
                {%- do terms.append(col ~ ' in (' ~ sql_string_list(all_values | unique | list) ~ ')') -%}
                {%- do terms.append(dbt.split_part(col, "':'", 1) ~ ' in (' ~ sql_string_list(all_values | unique | list) ~ ')') -%}
            {%- endif -%}
        {%- elif kind == 'email' -%}
            {%- set values = identifiers.get('email', []) -%}
            {%- if values -%}
                {%- do terms.append('lower(trim(' ~ col ~ ')) in (' ~ sql_string_list(values | map('trim') | map('lower') | unique | list) ~ ')') -%}
            {%- endif -%}
        {%- else -%}
            {%- set values = identifiers.get(kind, []) -%}
            {%- if values -%}
                {%- do terms.append('trim(' ~ col ~ ') in (' ~ sql_string_list(values | map('trim') | unique | list) ~ ')') -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('(' ~ (terms | join(' or ') if terms else '1 = 0') ~ ')') }}
{%- endmacro %}

{#-
    Every identifier of a person: {kind: [values]}, from their customer360_id and the source ids of
    slv_customer_id_map, then from the rows of every scanned table that match what is known so far (by the
    person's ids and their records' ids, never by e-mail or phone), until a pass finds nothing new.
-#}
{% macro erasure_identifiers(customer360_id, tables) -%}
    {%- set map = ref('slv_customer_id_map') -%}
    {%- set source_ids = run_query("select distinct source_id from " ~ map ~ " where customer360_id = '" ~ customer360_id ~ "' and source_id is not null").columns[0].values() | list -%}
    {%- set identifiers = {'person_id': [customer360_id] + source_ids} -%}
    {%- set skip = erasure_text_kinds() -%}
    {%- set state = namespace(done=false) -%}
    {%- for pass in range(6) if not state.done -%}
        {%- set ns = namespace(found=false) -%}
        {%- set finder = [] -%}
        {%- for kind in identifiers.keys() if kind not in erasure_contact_kinds() -%}{%- do finder.append(kind) -%}{%- endfor -%}
        {%- for table in tables -%}
            {%- set condition = erasure_condition(table.columns, identifiers, only=finder) -%}
            {%- set wanted = [] -%}
            {%- for column, kind in table.columns.items() if kind not in skip and kind not in erasure_person_kinds() -%}
                {%- do wanted.append((column, kind)) -%}
            {%- endfor -%}
            {%- if condition != '(1 = 0)' and wanted -%}
                {%- set selects = [] -%}
                {%- for column, kind in wanted -%}
                    {%- do selects.append("select distinct '" ~ kind ~ "' as kind, cast(" ~ adapter.quote(column) ~ " as " ~ dbt.type_string() ~ ") as value from " ~ table.relation ~ " where " ~ condition ~ " and " ~ adapter.quote(column) ~ " is not null") -%}
                {%- endfor -%}
                {%- for row in run_query(selects | join(' union ')) -%}
                    {%- set value = row[1] | trim -%}
                    {%- if value != '' and value not in identifiers.get(row[0], []) -%}
                        {%- do identifiers.setdefault(row[0], []).append(value) -%}
                        {%- set ns.found = true -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set state.done = not ns.found -%}
    {%- endfor -%}
    {{ return(identifiers) }}
{%- endmacro %}

{#- dbt run-operation erase_person --args '{person: ..., requested_by: ..., reason: ...}' -#}
{% macro erase_person(person=none, requested_by=none, reason=none) -%}
    {%- if not requested_by or not reason -%}
        {{ exceptions.raise_compiler_error("erase_person needs requested_by (who asked for or runs the erasure) and reason (e.g. the request's ticket; no personal data): --args '{person: ..., requested_by: ..., reason: ...}'") }}
    {%- endif -%}
    {%- do erasure_prepare() -%}
    {%- set customer360_id = erasure_resolve(person) -%}
    {%- set tables = erasure_tables() -%}
    {%- set identifiers = erasure_identifiers(customer360_id, tables) -%}
    {%- set request_id = 'ERA-' ~ modules.datetime.datetime.utcnow().strftime('%Y%m%d%H%M%S') ~ '-' ~ invocation_id[:8] -%}
    {%- set person_hash = pii_keyed_hash("'" ~ customer360_id ~ "'") -%}
    {%- set log_relation = erasure_relation('erasure_log') -%}
    {%- set counts = [] -%}
    {%- for table in tables -%}
        {%- set condition = erasure_condition(table.columns, identifiers) -%}
        {%- if condition != '(1 = 0)' -%}
            {%- set n = run_query('select count(*) from ' ~ table.relation ~ ' where ' ~ condition).columns[0].values()[0] | int -%}
            {%- if n > 0 -%}
                {%- do run_query('delete from ' ~ table.relation ~ ' where ' ~ condition) -%}
                {%- do counts.append((table.relation, n)) -%}
                {%- do run_query("insert into " ~ log_relation ~ " (request_id, erased_at, requested_by, reason, person_hash, relation_name, rows_deleted) select '"
                    ~ request_id ~ "', " ~ dbt.current_timestamp() ~ ", '" ~ (requested_by | string | replace("'", "''")) ~ "', '"
                    ~ (reason | string | replace("'", "''")) ~ "', " ~ person_hash ~ ", '" ~ table.relation.schema ~ "." ~ table.relation.identifier ~ "', " ~ n) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set suppressed = [] -%}
    {%- for kind, values in identifiers.items() -%}
        {%- for value in values | unique -%}
            {%- set value = value | lower if kind == 'email' else value -%}
            {%- do suppressed.append("select '" ~ request_id ~ "' as request_id, '" ~ kind ~ "' as id_kind, "
                ~ pii_keyed_hash("'" ~ (value | replace("'", "''")) ~ "'") ~ " as id_hash, " ~ dbt.current_timestamp() ~ " as added_at") -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for batch in suppressed | batch(200) -%}
        {%- do run_query('insert into ' ~ erasure_relation('erasure_suppression') ~ ' (request_id, id_kind, id_hash, added_at) ' ~ batch | join(' union all ')) -%}
    {%- endfor -%}
    {#- run-operation does not commit by itself: the deletes, audit rows and suppression commit together -#}
    {%- do adapter.commit() -%}
    {%- set ns = namespace(total=0) -%}
    {%- do print('erase_person: request ' ~ request_id ~ ' by ' ~ requested_by ~ ' on target ' ~ target.name) -%}
    {%- for relation, n in counts -%}
        {%- set ns.total = ns.total + n -%}
        {%- do print('  ' ~ relation.schema ~ '.' ~ relation.identifier ~ ': ' ~ n ~ ' rows deleted') -%}
    {%- endfor -%}
    {%- set kinds_found = [] -%}
    {%- for kind, values in identifiers.items() -%}{%- do kinds_found.append(kind ~ ' ' ~ values | unique | list | length) -%}{%- endfor -%}
    {%- do print('erase_person: ' ~ ns.total ~ ' rows deleted from ' ~ counts | length ~ ' tables (of ' ~ tables | length ~ ' scanned); '
        ~ suppressed | length ~ ' identifiers suppressed (' ~ kinds_found | join(', ') ~ '); audit in ' ~ log_relation
        ~ '. Views follow their tables; rebuild gold to refresh aggregates that counted the person.') -%}
{%- endmacro %}

{#-
    dbt run-operation export_person --args '{person: ...}': everything held about the person, as one JSON
    document between the lines BEGIN PERSON EXPORT and END PERSON EXPORT on stdout (scripts/export_person.py
    writes it to a file): per base table of the scanned schemas, its rows matching the person's identifiers,
    unmasked (an access request is answered to the person themselves). Values are text, nulls null.
-#}
{% macro export_person(person=none) -%}
    {%- set customer360_id = erasure_resolve(person) -%}
    {%- set tables = erasure_tables() -%}
    {%- set identifiers = erasure_identifiers(customer360_id, tables) -%}
    {%- set relations = {} -%}
    {%- for table in tables -%}
        {%- set condition = erasure_condition(table.columns, identifiers) -%}
        {%- if condition != '(1 = 0)' -%}
            {%- set result = run_query('select * from ' ~ table.relation ~ ' where ' ~ condition) -%}
            {%- if result.rows | length > 0 -%}
                {%- set rows = [] -%}
                {%- for row in result.rows -%}
                    {%- set record = {} -%}
                    {%- for name in result.column_names -%}
                        {%- set value = row[name] -%}
                        {%- do record.update({name: none if value is none else (value if value is boolean else value | string)}) -%}
                    {%- endfor -%}
                    {%- do rows.append(record) -%}
                {%- endfor -%}
                {%- do relations.update({table.relation.schema ~ '.' ~ table.relation.identifier: rows}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set document = {
        'customer360_id': customer360_id,
        'requested_as': person | string,
        'exported_at': modules.datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ'),
        'target': target.name,
        'masked': false,
        'identifiers': identifiers,
        'relations': relations,
    } -%}
    {%- do print('BEGIN PERSON EXPORT') -%}
    {%- do print(tojson(document, sort_keys=true)) -%}
    {%- do print('END PERSON EXPORT') -%}
{%- endmacro %}
