{#-
    GEN-06: PII is masked outside production.

    mask_pii(column, kind) returns the column unchanged on the targets of var
    pii_unmasked_targets (default: prod) and a masked form of the same type
    elsewhere. Gold models that a non-privileged role reads apply it; silver
    keeps the golden record unmasked (only privileged roles read silver).

      kind         masked form (null stays null)
      email        first character, ***, 6 hex of the keyed hash, @domain     j***4f1c2a@gmail.com
      phone        +*** and the last two digits                              +***45
      name         first letter and a dot                                     J.
      date         1 January of the same year (age stays roughly right)       1985-01-01
      postal_code  first two characters and ***                               10***
      text         12 hex of the keyed hash (stable pseudonym)                9f86d081884c

    The masks are deterministic, so counts of distinct values and joins on
    masked e-mails still work. Hashes are keyed (pii_keyed_hash): md5 of a
    secret and the value, so a list of candidate addresses cannot be hashed to
    reverse them. Portable SQL only (dbt cross-database macros).
-#}
{% macro mask_pii(column, kind) -%}
    {%- if pii_is_unmasked() -%}
        {{ column }}
    {%- elif kind == 'email' -%}
        case
            when {{ column }} is not null
                then substr({{ column }}, 1, 1) || '***' || substr({{ pii_keyed_hash(column) }}, 1, 6) || '@'
                || {{ dbt.split_part(column, "'@'", 2) }}
        end
    {%- elif kind == 'phone' -%}
        case when {{ column }} is not null then '+***' || substr({{ column }}, {{ dbt.length(column) }} - 1) end
    {%- elif kind == 'name' -%}
        case when {{ column }} is not null then substr({{ column }}, 1, 1) || '.' end
    {%- elif kind == 'date' -%}
        cast({{ dbt.date_trunc('year', column) }} as date)
    {%- elif kind == 'postal_code' -%}
        case when {{ column }} is not null then substr({{ column }}, 1, 2) || '***' end
    {%- elif kind == 'text' -%}
        substr({{ pii_keyed_hash(column) }}, 1, 12)
    {%- else -%}
        {{ exceptions.raise_compiler_error("mask_pii: unknown kind '" ~ kind ~ "' (email, phone, name, date, postal_code, text)") }}
    {%- endif -%}
{%- endmacro %}

{#- True on the targets where PII is shown as is (var pii_unmasked_targets, default [prod]). -#}
{% macro pii_is_unmasked() -%}
    {{ return(target.name in var('pii_unmasked_targets')) }}
{%- endmacro %}

{#-
    pii_keyed_hash(expression): md5 (dbt.hash) of the masking secret and the
    value. The secret comes from environment variable PII_MASK_KEY. Without it
    the development key below is used, which is public and only fit for the
    sample data: on any target other than dev and pg (the development targets
    of profiles.yml.example) a missing PII_MASK_KEY fails the run. prod shows
    PII unmasked, so it needs no key.
-#}
{% macro pii_keyed_hash(expression) -%}
    {%- set development_key = 'development-key-not-for-production' -%}
    {%- set key = env_var('PII_MASK_KEY', '') -%}
    {%- if key == '' -%}
        {%- if execute and target.name not in ['dev', 'pg'] -%}
            {{ exceptions.raise_compiler_error("GEN-06: set environment variable PII_MASK_KEY (a secret) to mask PII on target '" ~ target.name ~ "'; the development key is public") }}
        {%- endif -%}
        {%- set key = development_key -%}
    {%- endif -%}
    {{ dbt.hash("'" ~ (key | replace("'", "''")) ~ "' || " ~ expression) }}
{%- endmacro %}
