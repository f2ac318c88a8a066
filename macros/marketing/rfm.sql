{#-
    RFM (recency, frequency, monetary) per customer, scored 1..bins (var rfm_bins, 5).

    rfm_scores(relation, customer_column, ordered_at_column, value_column, where, bins, as_of)
      relation           a relation or CTE name with one row per order
      customer_column    the customer key (default customer360_id; the output keeps its name)
      ordered_at_column  the order time; orders after as_of are ignored
      value_column       the order's value
      where              optional SQL condition selecting the orders that count (e.g. 'is_completed')
      bins               number of scores (default var rfm_bins)
      as_of              SQL expression of the reference time (default as_of_timestamp())
    Output (a select, usable as a CTE body): the customer column, first_order_at, last_order_at,
    recency_days, frequency, monetary, r_score, f_score, m_score, rfm_score ('545').

      recency_days  calendar days from the last order to as_of (dbt.datediff 'day')
      frequency     number of orders
      monetary      sum of their values

    Scoring (quantiles by rank, ties share a score): each measure is ranked with rank() over all scored
    customers, worst first (recency: most days first; frequency and monetary: smallest first), and

        score = 1 + floor(bins * (rank - 1) / customers)

    computed with integer comparisons only (no floating point, same result on every engine). Equal values
    get the same rank, hence the same score: a tied group takes the score of the first position it occupies,
    so the result does not depend on customer ids or row order, and a score may hold more or fewer than
    customers / bins (with bins = 5: every customer with one order shares the lowest frequency score).
    Score 5 = most recent, most frequent, highest spend. rfm_score concatenates the three digits (bins <= 9).
-#}
{% macro rfm_scores(relation, customer_column='customer360_id', ordered_at_column='ordered_at',
                    value_column='order_value', where=none, bins=none, as_of=none) -%}
    {%- set bins = bins if bins is not none else var('rfm_bins') -%}
    {%- set as_of = as_of if as_of is not none else as_of_timestamp() -%}
    {%- if bins | int < 2 or bins | int > 9 -%}
        {{ exceptions.raise_compiler_error("rfm_scores: bins must be between 2 and 9, got " ~ bins) }}
    {%- endif %}
    select
        scores.*,
        {{ dbt.concat([
            'cast(scores.r_score as ' ~ dbt.type_string() ~ ')',
            'cast(scores.f_score as ' ~ dbt.type_string() ~ ')',
            'cast(scores.m_score as ' ~ dbt.type_string() ~ ')']) }} as rfm_score
    from (
        select
            ranked.{{ customer_column }},
            ranked.first_order_at,
            ranked.last_order_at,
            ranked.recency_days,
            ranked.frequency,
            ranked.monetary,
            {{ rfm_rank_to_score('ranked.recency_rank', 'ranked.scored_customers', bins) }} as r_score,
            {{ rfm_rank_to_score('ranked.frequency_rank', 'ranked.scored_customers', bins) }} as f_score,
            {{ rfm_rank_to_score('ranked.monetary_rank', 'ranked.scored_customers', bins) }} as m_score
        from (
            select
                per_customer.*,
                rank() over (order by per_customer.recency_days desc) as recency_rank,
                rank() over (order by per_customer.frequency asc) as frequency_rank,
                rank() over (order by per_customer.monetary asc) as monetary_rank,
                count(*) over () as scored_customers
            from (
                select
                    {{ customer_column }},
                    min({{ ordered_at_column }}) as first_order_at,
                    max({{ ordered_at_column }}) as last_order_at,
                    {{ dbt.datediff('max(' ~ ordered_at_column ~ ')', as_of, 'day') }} as recency_days,
                    count(*) as frequency,
                    sum(coalesce({{ value_column }}, 0)) as monetary
                from {{ relation }}
                where
                    {{ ordered_at_column }} <= {{ as_of }}
                    and {{ customer_column }} is not null
                    {%- if where %}
                    and ({{ where }})
                    {%- endif %}
                group by {{ customer_column }}
            ) as per_customer
        ) as ranked
    ) as scores
{%- endmacro %}

{#-
    1 + floor(bins * (rank - 1) / n) with integer comparisons: 1 plus the number of k in 1..bins-1
    with bins * (rank - 1) >= k * n (exact on every engine).
-#}
{% macro rfm_rank_to_score(rank_column, count_column, bins) -%}
    (1
    {%- for k in range(1, bins | int) %}
        + case when {{ bins }} * ({{ rank_column }} - 1) >= {{ k }} * {{ count_column }} then 1 else 0 end
    {%- endfor %})
{%- endmacro %}

{#-
    rfm_assign_segment(scored_relation, rules_relation, customer_column)
    The rows of scored_relation (with r_score, f_score, m_score) plus rfm_segment, recommended_action and
    rfm_segment_priority from the first rule of rules_relation (seed rfm_segment_rules: priority, segment,
    r_min, r_max, f_min, f_max, m_min, m_max, recommended_action; bounds inclusive) whose three score
    ranges contain the customer's scores, by ascending priority (then segment name, so equal priorities
    stay deterministic). No rule matches: var rfm_fallback_segment ('Others') and var rfm_fallback_action,
    priority null. Portable SQL: a range join and row_number().
-#}
{% macro rfm_assign_segment(scored_relation, rules_relation, customer_column='customer360_id') -%}
    select
        scored.*,
        coalesce(matched.segment, '{{ var("rfm_fallback_segment") | replace("'", "''") }}') as rfm_segment,
        coalesce(matched.recommended_action, '{{ var("rfm_fallback_action") | replace("'", "''") }}')
            as recommended_action,
        matched.priority as rfm_segment_priority
    from {{ scored_relation }} as scored
    left join (
        select
            candidates.{{ customer_column }},
            candidates.segment,
            candidates.recommended_action,
            candidates.priority
        from (
            select
                scored_for_rules.{{ customer_column }},
                rules.segment,
                rules.recommended_action,
                rules.priority,
                row_number() over (
                    partition by scored_for_rules.{{ customer_column }} order by rules.priority asc, rules.segment asc
                ) as match_rank
            from {{ scored_relation }} as scored_for_rules
            inner join {{ rules_relation }} as rules
                on
                    scored_for_rules.r_score between rules.r_min and rules.r_max
                    and scored_for_rules.f_score between rules.f_min and rules.f_max
                    and scored_for_rules.m_score between rules.m_min and rules.m_max
        ) as candidates
        where candidates.match_rank = 1
    ) as matched
        on scored.{{ customer_column }} = matched.{{ customer_column }}
{%- endmacro %}
