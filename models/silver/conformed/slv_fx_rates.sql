{#-
    Monthly reference rates to the reporting currency (var reporting_currency):
    rate_to_reporting = units of the reporting currency one unit of `currency`
    buys that month, through the euro cross rates of seed fx_rates
    (reporting units per euro / currency units per euro). One row per month and
    currency; the reporting currency has 1.
-#}

with

rates as (
    select
        rate_month,
        currency,
        units_per_eur,
        rate_basis
    from {{ ref('fx_rates') }}
),

reporting as (
    select
        rate_month,
        units_per_eur
    from rates
    where currency = '{{ var("reporting_currency") }}'
),

final as (
    select
        rates.rate_month,
        rates.currency,
        '{{ var("reporting_currency") }}' as reporting_currency,
        cast(reporting.units_per_eur / rates.units_per_eur as {{ type_double() }}) as rate_to_reporting,
        rates.rate_basis
    from rates
    inner join reporting
        on rates.rate_month = reporting.rate_month
)

select * from final
