-- Customers who may receive marketing for consent scope sms_offers (GEN-04); see macros/customer/marketing_audience.sql.
{{ marketing_audience('sms_offers') }}
