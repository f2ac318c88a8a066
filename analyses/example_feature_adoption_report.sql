-- Feature adoption (mart_feature_adoption): adoption among the users of the platforms each feature lives on, time to
-- adopt, and the 30-day retention of adopters against the other users of the same scope.
select
    feature_name,
    platform_scope,
    active_users,
    adopters,
    adoption_rate,
    median_days_to_adopt,
    adopter_retention_rate,
    non_adopter_retention_rate,
    retention_difference
from {{ ref('mart_feature_adoption') }}
order by platform_scope asc, adoption_rate desc, feature_name asc
