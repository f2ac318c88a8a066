{#-
    Feature adoption per feature and platform scope (the channels the feature was used on, web or app, and
    all). Over every visit event of slv_product_events (web and app sessions, up to as_of, within retention):
      * active_users: users (customer360_id) with a visit event in the scope; adopters: those with a
        feature_used event of the feature in the scope; adoption_rate = adopters / active_users.
      * days_to_adopt: calendar days from a user's first activity in the scope to their first use of the
        feature (0 = same day); median (interpolated, macro percentile) and mean over adopters.
      * retention: a user is retained when they have a visit event in the scope at least
        var feature_retention_days (30) days after their reference time: the first use of the feature for
        adopters, the first activity for the others. Only users whose reference time is at least that many
        days before as_of are eligible (every eligible user had the full window to come back).
-#}

{%- set retention_days = var('feature_retention_days') -%}

with

visits as (
    select
        customer360_id,
        channel,
        event_at,
        event_type,
        feature_name
    from {{ ref('slv_product_events') }}
),

scoped_visits as (
    select
        customer360_id,
        channel as platform_scope,
        event_at,
        event_type,
        feature_name
    from visits
    union all
    select
        customer360_id,
        'all' as platform_scope,
        event_at,
        event_type,
        feature_name
    from visits
),

user_activity as (
    select
        customer360_id,
        platform_scope,
        min(event_at) as first_active_at,
        max(event_at) as last_active_at
    from scoped_visits
    group by customer360_id, platform_scope
),

first_uses as (
    select
        feature_name,
        platform_scope,
        customer360_id,
        min(event_at) as first_used_at
    from scoped_visits
    where event_type = 'feature_used' and feature_name is not null
    group by feature_name, platform_scope, customer360_id
),

feature_scopes as (
    select distinct
        feature_name,
        platform_scope
    from first_uses
),

users as (
    select
        feature_scopes.feature_name,
        feature_scopes.platform_scope,
        user_activity.customer360_id,
        user_activity.first_active_at,
        user_activity.last_active_at,
        first_uses.first_used_at,
        coalesce(first_uses.first_used_at, user_activity.first_active_at) as reference_at
    from feature_scopes
    inner join user_activity on feature_scopes.platform_scope = user_activity.platform_scope
    left join first_uses
        on feature_scopes.feature_name = first_uses.feature_name
            and feature_scopes.platform_scope = first_uses.platform_scope
            and user_activity.customer360_id = first_uses.customer360_id
),

user_outcomes as (
    select
        feature_name,
        platform_scope,
        customer360_id,
        first_used_at is not null as is_adopter,
        case
            when first_used_at is not null
                then {{ dbt.datediff('cast(first_active_at as date)', 'cast(first_used_at as date)', 'day') }}
        end as days_to_adopt,
        reference_at <= {{ dbt.dateadd('day', -1 * retention_days, as_of_timestamp()) }} as is_eligible,
        last_active_at >= {{ dbt.dateadd('day', retention_days, 'reference_at') }} as is_retained
    from users
),

per_feature as (
    select
        feature_name,
        platform_scope,
        count(*) as active_users,
        count(case when is_adopter then 1 end) as adopters,
        {{ percentile('days_to_adopt', 0.5) }} as median_days_to_adopt,
        avg(1.0 * days_to_adopt) as mean_days_to_adopt,
        count(case when is_adopter and is_eligible then 1 end) as eligible_adopters,
        count(case when is_adopter and is_eligible and is_retained then 1 end) as retained_adopters,
        count(case when not is_adopter and is_eligible then 1 end) as eligible_non_adopters,
        count(case when not is_adopter and is_eligible and is_retained then 1 end) as retained_non_adopters
    from user_outcomes
    group by feature_name, platform_scope
),

final as (
    select
        cast({{ dbt.concat(['feature_name', "'|'", 'platform_scope']) }} as varchar) as feature_scope_key,
        cast(feature_name as varchar) as feature_name,
        cast(platform_scope as varchar) as platform_scope,
        cast(active_users as bigint) as active_users,
        cast(adopters as bigint) as adopters,
        cast({{ safe_divide('adopters', 'active_users') }} as {{ type_double() }}) as adoption_rate,
        cast(median_days_to_adopt as {{ type_double() }}) as median_days_to_adopt,
        cast(mean_days_to_adopt as {{ type_double() }}) as mean_days_to_adopt,
        cast(eligible_adopters as bigint) as eligible_adopters,
        cast(retained_adopters as bigint) as retained_adopters,
        cast({{ safe_divide('retained_adopters', 'eligible_adopters') }} as {{ type_double() }})
            as adopter_retention_rate,
        cast(eligible_non_adopters as bigint) as eligible_non_adopters,
        cast(retained_non_adopters as bigint) as retained_non_adopters,
        cast({{ safe_divide('retained_non_adopters', 'eligible_non_adopters') }} as {{ type_double() }})
            as non_adopter_retention_rate,
        cast(
            {{ safe_divide('retained_adopters', 'eligible_adopters') }}
            - {{ safe_divide('retained_non_adopters', 'eligible_non_adopters') }}
            as {{ type_double() }}
        ) as retention_difference
    from per_feature
)

select * from final
