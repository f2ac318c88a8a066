-- Customers who may receive marketing for consent scope push_notifications (GEN-04); see macros/customer/marketing_audience.sql.
{{ marketing_audience('push_notifications') }}
