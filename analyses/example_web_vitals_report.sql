-- Core Web Vitals per page type and device (mart_web_vitals): p75 of each metric with its rating and the
-- share of page views rated poor, the slowest LCP first.
select
    page_type,
    device_type,
    page_views,
    lcp_p75_ms,
    lcp_p75_rating,
    inp_p75_ms,
    inp_p75_rating,
    cls_p75,
    cls_p75_rating,
    round(cast(lcp_poor_share as numeric), 3) as lcp_poor_share,
    round(cast(inp_poor_share as numeric), 3) as inp_poor_share,
    round(cast(cls_poor_share as numeric), 3) as cls_poor_share
from {{ ref('mart_web_vitals') }}
order by lcp_p75_ms desc, page_type asc, device_type asc
