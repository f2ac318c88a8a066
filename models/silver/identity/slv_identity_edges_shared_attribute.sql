{#-
    Edges of the shared-attribute rules: records sharing a blocking key, with
    the rule's checks. One entry per rule below; priority, confidence,
    max_group_size, blocked_pattern and enabled come from the seed
    identity_match_rules at run time.

      keys           blocking key (SQL over a record); records with a null key never match
      blocked_value  the value tested against the rule's blocked_pattern
      value_node     edges go from each record to a node of the shared value
                     ('<value_node>:' || key) instead of between record pairs
      names          'optional' / 'required' first name: macro names_compatible
      must_agree     columns that may not differ when known on both sides
      pair_condition further SQL over left_records / right_records

    A key shared by more records than max_group_size (after blocked values are
    dropped) makes no edge.
-#}

{%- set typo_condition -%}
    left_records.email <> right_records.email
    and abs(length(left_records.email_local) - length(right_records.email_local)) <= 1
    -- one edit (a letter wrong, missing or extra), or two letters swapped (same letters, distance 2):
    -- alexander / alexandra (distance 2, other letters) are different people
    and (
        {{ edit_distance('left_records.email_local', 'right_records.email_local') }} = 1
        or (
            length(left_records.email_local) = length(right_records.email_local)
            and {{ edit_distance('left_records.email_local', 'right_records.email_local') }} = 2
            and {{ char_signature('left_records.email_local') }} = {{ char_signature('right_records.email_local') }}
        )
    )
{%- endset -%}

{%- set shared_attribute_rules = [
    {'rule': 'email_exact', 'keys': ['email'], 'blocked_value': 'email', 'value_node': 'email'},
    {'rule': 'phone_name', 'keys': ['phone_e164'], 'blocked_value': 'phone_e164',
     'names': 'optional', 'must_agree': ['date_of_birth']},
    {'rule': 'email_typo', 'keys': ['email_domain', 'email_local_digits', 'substr(email_local, 1, 1)'],
     'blocked_value': 'email', 'names': 'optional', 'must_agree': ['date_of_birth', 'phone_e164'],
     'pair_condition': typo_condition},
    {'rule': 'name_dob_postcode', 'keys': ['last_name_key', 'date_of_birth', 'postal_code_key'],
     'blocked_value': 'last_name_key', 'names': 'required'},
] -%}

with

rules as (
    select * from {{ ref('identity_match_rules') }}
    where enabled
),

records as (
    select * from {{ ref('slv_identity_records') }}
),
{%- for r in shared_attribute_rules %}

-- {{ r.rule }} ----------------------------------------------------------------
{{ r.rule }}_records as (
    select
        records.*,
        {%- for key in r['keys'] %}
        {{ key }} as block_key_{{ loop.index }},
        {%- endfor %}
        count(*) over (partition by {% for key in r['keys'] %}{{ key }}{{ ', ' if not loop.last }}{% endfor %}) as group_size
    from records
    inner join rules on rules.match_rule = '{{ r.rule }}'
    where
        (rules.blocked_pattern is null or not {{ regex_match_expr('records.' ~ r.blocked_value, 'rules.blocked_pattern') }})
        {%- for key in r['keys'] %}
        and {{ key }} is not null
        {%- endfor %}
),

{{ r.rule }} as (
    select distinct
        {%- if r.value_node %}
        left_records.record_key as node_a,
        '{{ r.value_node }}:' || left_records.block_key_1 as node_b,
        {%- else %}
        left_records.record_key as node_a,
        right_records.record_key as node_b,
        {%- endif %}
        '{{ r.rule }}' as match_rule
    from {{ r.rule }}_records as left_records
    inner join rules on rules.match_rule = '{{ r.rule }}'
    {%- if not r.value_node %}
    inner join {{ r.rule }}_records as right_records
        on
            left_records.record_key < right_records.record_key
            {%- for key in r['keys'] %}
            and left_records.block_key_{{ loop.index }} = right_records.block_key_{{ loop.index }}
            {%- endfor %}
    {%- endif %}
    where
        left_records.group_size <= coalesce(rules.max_group_size, left_records.group_size)
        {%- if r.names %}
        and {{ names_compatible('left_records', 'right_records', first_name_required=(r.names == 'required')) }}
        {%- endif %}
        {%- for column in r.get('must_agree', []) %}
        and not coalesce(left_records.{{ column }} <> right_records.{{ column }}, false)
        {%- endfor %}
        {%- if r.pair_condition %}
        and {{ r.pair_condition }}
        {%- endif %}
),
{%- endfor %}

final as (
    {%- for r in shared_attribute_rules %}
    select * from {{ r.rule }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
