-- Customers who may receive marketing for consent scope email_marketing (GEN-04); see macros/customer/marketing_audience.sql.
{{ marketing_audience('email_marketing') }}
