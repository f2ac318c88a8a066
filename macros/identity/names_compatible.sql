{#-
    names_compatible(a, b, first_name_required=false): the one name check of
    identity matching, a boolean SQL expression over two relation aliases with
    first_name_key and last_name_key (slv_identity_records):

      - the surnames agree when both are known,
      - at least one name (surname or first name) is known on both sides,
      - the first names are the same or stand for the same name (a nickname,
        seed first_name_nicknames: bob / robert, alex / alexander), or, unless
        first_name_required, one side has no first name.

    Two first names are compatible when they share a key: a name's keys are the
    name itself and every canonical name it is a nickname of.
-#}
{% macro names_compatible(a, b, first_name_required=false) -%}
    (
        coalesce({{ a }}.last_name_key = {{ b }}.last_name_key, true)
        and (
            ({{ a }}.last_name_key is not null and {{ b }}.last_name_key is not null)
            or ({{ a }}.first_name_key is not null and {{ b }}.first_name_key is not null)
        )
        and (
            {%- if not first_name_required %}
            {{ a }}.first_name_key is null
            or {{ b }}.first_name_key is null
            or
            {%- endif %}
            {{ first_names_compatible(a ~ '.first_name_key', b ~ '.first_name_key') }}
        )
    )
{%- endmacro %}


{#- first_names_compatible(first_a, first_b): the same name, one a nickname of
    the other, or nicknames of the same name; false when either is null. -#}
{% macro first_names_compatible(first_a, first_b) -%}
    (
        coalesce({{ first_a }} = {{ first_b }}, false)
        or exists (
            select 1
            from {{ ref('first_name_nicknames') }} as nicknames
            where
                (nicknames.nickname = {{ first_a }} and nicknames.canonical_first_name = {{ first_b }})
                or (nicknames.nickname = {{ first_b }} and nicknames.canonical_first_name = {{ first_a }})
        )
        or exists (
            select 1
            from {{ ref('first_name_nicknames') }} as nicknames_a
            inner join {{ ref('first_name_nicknames') }} as nicknames_b
                on nicknames_a.canonical_first_name = nicknames_b.canonical_first_name
            where nicknames_a.nickname = {{ first_a }} and nicknames_b.nickname = {{ first_b }}
        )
    )
{%- endmacro %}
