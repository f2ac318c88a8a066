-- Each customer's next best actions are ranked 1..n without gaps or repeats, one row per action, in order of
-- expected value (a higher rank never has a higher expected value), and the audience holds exactly the rank-1 rows.
with

actions as (
    select * from {{ ref('fct_next_best_action') }}
),

per_customer as (
    select
        customer360_id,
        count(*) as actions,
        count(distinct action) as distinct_actions,
        count(distinct action_rank) as distinct_ranks,
        min(action_rank) as min_rank,
        max(action_rank) as max_rank
    from actions
    group by customer360_id
),

gaps as (
    select
        customer360_id,
        'ranks not 1..n' as problem
    from per_customer
    where min_rank <> 1 or max_rank <> actions or distinct_ranks <> actions or distinct_actions <> actions
),

out_of_order as (
    select
        better.customer360_id,
        'rank ' || cast(worse.action_rank as {{ dbt.type_string() }}) || ' worth more than rank '
        || cast(better.action_rank as {{ dbt.type_string() }}) as problem
    from actions as better
    inner join actions as worse
        on better.customer360_id = worse.customer360_id and worse.action_rank = better.action_rank + 1
    where worse.expected_value > better.expected_value
),

best as (
    select * from actions
    where action_rank = 1
),

audience_mismatch as (
    select
        coalesce(audience.customer360_id, best.customer360_id) as customer360_id,
        'audience differs from the rank-1 actions' as problem
    from {{ ref('aud_next_best_action') }} as audience
    full outer join best
        on
            audience.customer360_id = best.customer360_id
            and audience.action = best.action
            and audience.channel = best.channel
    where audience.customer360_id is null or best.customer360_id is null
)

select * from gaps
union all
select * from out_of_order
union all
select * from audience_mismatch
