-- Next best actions: per action and channel, how many customers have it as their next best action (rank 1) and
-- how many are eligible at all, with the expected value (propensity x value, reporting currency) of the rank-1 rows.
with

actions as (
    select * from {{ ref('fct_next_best_action') }}
)

select
    action,
    channel,
    count(case when action_rank = 1 then 1 end) as customers_best_action,
    count(*) as customers_eligible,
    round(avg(case when action_rank = 1 then expected_value end), 2) as avg_expected_value_best,
    round(sum(case when action_rank = 1 then expected_value else 0 end), 2) as total_expected_value_best
from actions
group by action, channel
order by customers_best_action desc, action asc, channel asc
