{#-
    Customer lifecycle stages, defined here and nowhere else. Thresholds are
    project vars (days, relative to the reference time, by default as_of):

      lifecycle_new_days               30   first completed order at most this old  -> new
      lifecycle_reactivation_gap_days 180   a gap longer than this between two
                                            consecutive completed orders ...
      lifecycle_reactivated_days       90   ... closed by an order at most this old  -> reactivated
      lifecycle_active_days            90   last completed order at most this old   -> active
      lifecycle_at_risk_days          180   ... up to this old                       -> at_risk
      lifecycle_lapsed_days           365   ... up to this old                       -> lapsed; older -> churned

    Day counts are calendar days (dbt.datediff 'day') and limits inclusive:
    an order 30 days before as_of is still "within 30 days". The first stage
    that matches wins, in the order of seed lifecycle_stages (which names,
    orders and describes the stages for dim_lifecycle_stage).
-#}

{#- SQL list of the stages counted as active customers (seed lifecycle_stages: is_active_stage), e.g. for `in (...)`. -#}
{% macro lifecycle_active_stages_sql() -%}
    {%- set codes = [] -%}
    {%- for stage in reference_rows('lifecycle_stages', 'stage_order') if stage.is_active_stage -%}
        {%- do codes.append(stage.lifecycle_stage) -%}
    {%- endfor -%}
    ({{ sql_string_list(codes) if codes else 'null' }})
{%- endmacro %}

{#-
    lifecycle_stage(first_purchase_at, last_purchase_at, last_reactivation_at, reference_at)
    SQL expression giving the stage code. Arguments are SQL expressions:
    the customer's first and last completed order times, the time of the
    latest completed order that closed a gap (see lifecycle_is_reactivation;
    null if none) and the reference time (default: as_of_timestamp()).
    Only orders up to the reference time may be passed in.
-#}
{% macro lifecycle_stage(first_purchase_at, last_purchase_at, last_reactivation_at, reference_at=none) -%}
    {%- set ref_at = reference_at if reference_at is not none else as_of_timestamp() -%}
    case
        when {{ last_purchase_at }} is null then 'prospect'
        when {{ dbt.datediff(first_purchase_at, ref_at, 'day') }} <= {{ var('lifecycle_new_days') }} then 'new'
        when
            {{ last_reactivation_at }} is not null
            and {{ dbt.datediff(last_reactivation_at, ref_at, 'day') }} <= {{ var('lifecycle_reactivated_days') }}
            then 'reactivated'
        when {{ dbt.datediff(last_purchase_at, ref_at, 'day') }} <= {{ var('lifecycle_active_days') }} then 'active'
        when {{ dbt.datediff(last_purchase_at, ref_at, 'day') }} <= {{ var('lifecycle_at_risk_days') }} then 'at_risk'
        when {{ dbt.datediff(last_purchase_at, ref_at, 'day') }} <= {{ var('lifecycle_lapsed_days') }} then 'lapsed'
        else 'churned'
    end
{%- endmacro %}

{#-
    lifecycle_is_reactivation(previous_order_at, order_at): true when a
    completed order comes more than lifecycle_reactivation_gap_days after
    the customer's previous completed order (false for a first order).
-#}
{% macro lifecycle_is_reactivation(previous_order_at, order_at) -%}
    coalesce({{ dbt.datediff(previous_order_at, order_at, 'day') }} > {{ var('lifecycle_reactivation_gap_days') }}, false)
{%- endmacro %}

{#-
    lifecycle_days_exceeded_at(event_at, days): the first instant at which
    "at most `days` calendar days since event_at" stops holding, i.e. the
    smallest reference time t with dbt.datediff(event_at, t, 'day') > days:
    midnight (00:00) of the calendar day days + 1 after event_at's day. An
    order at 2026-01-10 15:00 with days = 30 is within 30 days up to
    2026-02-09 23:59:59.999 and no longer from 2026-02-10 00:00. This is the
    time at which a stage of macro lifecycle_stage that rests on `days` can
    end (slv_customer_lifecycle_history). Both arguments are SQL expressions
    (`days`: a whole number of days, a literal or a column).
-#}
{% macro lifecycle_days_exceeded_at(event_at, days) -%}
    cast({{ dbt.dateadd('day', '(' ~ days ~ ') + 1', 'cast(' ~ event_at ~ ' as date)') }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
