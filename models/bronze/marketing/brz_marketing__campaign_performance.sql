-- Every accepted version of the raw records: typed, deduplicated, with load metadata (incremental).
{{ bronze_accepted_rows('stg_marketing__campaign_performance') }}
