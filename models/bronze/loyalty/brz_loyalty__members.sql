-- Accepted rows of the raw delivery: typed, deduplicated, with load metadata.
{{ bronze_accepted_rows('stg_loyalty__members') }}
