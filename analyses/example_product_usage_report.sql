-- Active users (mart_product_usage_daily): DAU, WAU, MAU and stickiness per platform on the last day before as_of,
-- and the mean DAU / MAU stickiness over the window.
select
    platform,
    max(case when activity_date = {{ dbt.dateadd('day', -1, as_of_date()) }} then dau end) as dau_last_day,
    max(case when activity_date = {{ dbt.dateadd('day', -1, as_of_date()) }} then wau end) as wau_last_day,
    max(case when activity_date = {{ dbt.dateadd('day', -1, as_of_date()) }} then mau end) as mau_last_day,
    max(case when activity_date = {{ dbt.dateadd('day', -1, as_of_date()) }} then dau_mau_stickiness end)
        as stickiness_last_day,
    avg(dau_mau_stickiness) as mean_stickiness,
    count(*) as days
from {{ ref('mart_product_usage_daily') }}
group by platform
order by platform
