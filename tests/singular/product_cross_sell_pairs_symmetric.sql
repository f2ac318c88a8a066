-- Being bought together is symmetric: every pair (a, b) has its pair (b, a) with the same orders_together, support
-- and lift (confidence differs: it is conditioned on the first product). Returns the pairs without a mirror.
select pairs.*
from {{ ref('mart_product_cross_sell') }} as pairs
left join {{ ref('mart_product_cross_sell') }} as mirror
    on pairs.product_id = mirror.cross_sell_product_id
        and pairs.cross_sell_product_id = mirror.product_id
where
    mirror.pair_key is null
    or pairs.orders_together <> mirror.orders_together
    or pairs.support <> mirror.support
    or pairs.lift <> mirror.lift
