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
    that matches wins, in the order of lifecycle_stages().
-#}

{#- The stages in evaluation order, with their definitions (dim_lifecycle_stage is built from this list). -#}
{% macro lifecycle_stages() -%}
    {%- set new_days = var('lifecycle_new_days') -%}
    {%- set gap_days = var('lifecycle_reactivation_gap_days') -%}
    {%- set reactivated_days = var('lifecycle_reactivated_days') -%}
    {%- set active_days = var('lifecycle_active_days') -%}
    {%- set at_risk_days = var('lifecycle_at_risk_days') -%}
    {%- set lapsed_days = var('lifecycle_lapsed_days') -%}
    {{ return([
        {'code': 'prospect', 'name': 'Prospect', 'is_customer': false, 'is_active': false, 'min_days': none, 'max_days': none,
         'definition': 'No completed order yet (known from a source record, a device, a consent or a service contact).'},
        {'code': 'new', 'is_active': true, 'name': 'New', 'is_customer': true, 'min_days': 0, 'max_days': new_days,
         'definition': 'First completed order at most ' ~ new_days ~ ' days before as_of.'},
        {'code': 'reactivated', 'is_active': true, 'name': 'Reactivated', 'is_customer': true, 'min_days': 0, 'max_days': reactivated_days,
         'definition': 'A completed order at most ' ~ reactivated_days ~ ' days before as_of that came more than '
            ~ gap_days ~ ' days after the previous completed order.'},
        {'code': 'active', 'is_active': true, 'name': 'Active', 'is_customer': true, 'min_days': 0, 'max_days': active_days,
         'definition': 'Last completed order at most ' ~ active_days ~ ' days before as_of.'},
        {'code': 'at_risk', 'is_active': false, 'name': 'At risk', 'is_customer': true, 'min_days': active_days + 1, 'max_days': at_risk_days,
         'definition': 'Last completed order ' ~ (active_days + 1) ~ ' to ' ~ at_risk_days ~ ' days before as_of.'},
        {'code': 'lapsed', 'is_active': false, 'name': 'Lapsed', 'is_customer': true, 'min_days': at_risk_days + 1, 'max_days': lapsed_days,
         'definition': 'Last completed order ' ~ (at_risk_days + 1) ~ ' to ' ~ lapsed_days ~ ' days before as_of.'},
        {'code': 'churned', 'is_active': false, 'name': 'Churned', 'is_customer': true, 'min_days': lapsed_days + 1, 'max_days': none,
         'definition': 'Last completed order more than ' ~ lapsed_days ~ ' days before as_of.'},
    ]) }}
{%- endmacro %}

{#- SQL list of the stages counted as active customers (new, reactivated, active), e.g. for `in (...)`. -#}
{% macro lifecycle_active_stages_sql() -%}
    {%- set codes = [] -%}
    {%- for stage in lifecycle_stages() if stage.is_active -%}
        {%- do codes.append("'" ~ stage.code ~ "'") -%}
    {%- endfor -%}
    ({{ codes | join(', ') }})
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
