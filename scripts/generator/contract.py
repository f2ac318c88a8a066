"""The raw source contract as the generator writes it, and the text formats of its values.

Column order of every table exactly as in ../shared/spec/raw_sources.md, the key
the warehouse reports a record by, the defect rates, and the helpers that turn
dates, times and amounts into delivered text.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

UTC = timezone.utc
DEFAULT_AS_OF = "2026-06-30T00:00:00Z"


# Column order of every table, exactly as in the raw source contract.
TABLES: dict[str, list[str]] = {
    "crm_customers": ["customer_id", "first_name", "last_name", "email", "phone", "date_of_birth", "gender",
                      "registration_date", "customer_segment", "lifetime_value", "country", "region", "city",
                      "postal_code", "preferred_language", "updated_at"],
    "loyalty_members": ["loyalty_id", "customer_id", "first_name", "last_name", "email", "phone", "tier",
                        "points_balance", "enrolled_at", "updated_at"],
    "ecom_accounts": ["web_user_id", "email", "first_name", "last_name", "phone", "country", "created_at",
                      "last_login_at"],
    "consents": ["consent_id", "source_system", "source_id", "scope", "status", "captured_at"],
    "interactions": ["interaction_id", "customer_id", "interaction_type", "interaction_at", "duration_minutes",
                     "outcome", "agent_id", "recorded_at"],
    "campaigns": ["campaign_id", "campaign_name", "campaign_type", "start_date", "end_date", "budget",
                  "target_audience", "status", "utm_campaign"],
    "campaign_performance": ["performance_id", "campaign_id", "metric_date", "impressions", "clicks",
                             "conversions", "revenue", "cost"],
    "products": ["product_id", "product_name", "category", "unit_price", "launched_at"],
    "orders": ["order_id", "web_user_id", "customer_id", "loyalty_id", "ordered_at", "status", "sales_channel",
               "currency"],
    "order_items": ["order_id", "line_number", "product_id", "quantity", "unit_price", "discount_amount"],
    "payments": ["payment_id", "order_id", "payment_method", "amount_cents", "status", "paid_at"],
    "events": ["event_id", "event_at", "event_type", "platform", "anonymous_id", "web_user_id", "customer_id",
               "page_url", "referrer", "utm_source", "utm_medium", "utm_campaign", "device_type", "order_id",
               "revenue", "product_id", "experiment_id", "variant", "feature_name", "search_query", "lcp_ms",
               "cls", "inp_ms"],
    "support_tickets": ["ticket_id", "customer_id", "opened_at", "resolved_at", "channel", "category",
                        "priority", "csat_score", "first_contact_resolution"],
    "nps_responses": ["response_id", "customer_id", "responded_at", "nps_score"],
}

# Key of each table as the warehouse reports it in dq_rejected_rows.record_id.
KEYS = {
    "crm_customers": ("customer_id",), "loyalty_members": ("loyalty_id",), "ecom_accounts": ("web_user_id",),
    "consents": ("consent_id",), "interactions": ("interaction_id",), "campaigns": ("campaign_id",),
    "campaign_performance": ("performance_id",), "products": ("product_id",), "orders": ("order_id",),
    "order_items": ("order_id", "line_number"), "payments": ("payment_id",), "events": ("event_id",),
    "support_tickets": ("ticket_id",), "nps_responses": ("response_id",),
}

# Share of a table's rows broken on purpose (spread over its rules, at least
# one row per rule). Customers and interactions breach the DDA's 1 % on
# purpose; small tables (campaigns, products) breach it through the minimum.
DEFECT_SHARE = {"crm_customers": 0.02, "interactions": 0.02}
DEFAULT_DEFECT_SHARE = 0.006
EXACT_DUPLICATE_SHARE = 0.004
# Delivery 2 is the same world this many days later.
DELIVERY2_DAYS = 30
# Defects that are a time after "now": with a later "now" they may no longer be defects.
FUTURE_RULES = {"CUS-03": ("registration_date", "date"), "INT-03": ("interaction_at", "ts"),
                "ORD-03": ("ordered_at", "ts"), "PAY-06": ("paid_at", "ts"), "EVT-02": ("event_at", "ts"),
                "LOY-04": ("enrolled_at", "ts"), "ECM-02": ("created_at", "ts"), "CON-05": ("captured_at", "ts"),
                "NPS-03": ("responded_at", "ts")}



def record_id(table: str, row: dict) -> str:
    """The record's key as the warehouse reports it (dq_rejected_rows.record_id)."""
    return ":".join(row[k] for k in KEYS[table])


def parse_iso(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(UTC)


def fmt_ts(dt: datetime, rng: random.Random | None = None) -> str:
    """ISO 8601 text; a few source systems send an offset instead of Z."""
    if rng is not None and rng.random() < 0.1:
        off = rng.choice([-5, -4, 1, 2])
        local = dt.astimezone(timezone(timedelta(hours=off)))
        return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{'+' if off >= 0 else '-'}{abs(off):02d}:00"
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fmt_date(d: date) -> str:
    return d.strftime("%Y-%m-%d")


def money(x: float) -> str:
    return f"{x:.2f}"
