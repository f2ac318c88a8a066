{#-
    The current status of every campaign, the input of the snapshot
    snp_campaign_status (SCD2 on status).
-#}

with

final as (
    select
        campaign_id,
        campaign_name,
        campaign_type,
        status
    from {{ ref('slv_campaigns') }}
)

select * from final
