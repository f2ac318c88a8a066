{{ config(tags=['marketing', 'attribution']) }}
{%- set model_rows = [] %}
{%- for model in attribution_models() %}
{%- do model_rows.append({'attribution_model': model}) %}
{%- endfor %}
-- Every completed order is attributed under every model, and its credits sum to 1
-- (within floating-point rounding). Returns the orders and models that break it.

with

orders as (
    select order_id
    from {{ ref('slv_customer_orders') }}
    where is_completed
),

models as (
    {{ literal_rows(model_rows) }}
),

credits as (
    select
        order_id,
        attribution_model,
        sum(credit) as total_credit
    from {{ ref('fct_attribution') }}
    group by order_id, attribution_model
)

select
    orders.order_id,
    models.attribution_model,
    credits.total_credit
from orders
cross join models
left join credits
    on orders.order_id = credits.order_id and models.attribution_model = credits.attribution_model
where credits.total_credit is null or abs(credits.total_credit - 1) > 1e-9
