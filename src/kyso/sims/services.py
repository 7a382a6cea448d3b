"""The SIM PKI registry's steps, one name each, for the pages, the API, the CLI, the import and the demo
(letter 346/BHXH-CNTT). The work is in the sub-domain modules — `identifiers` (ICCID, carrier, number),
`plans` (the appendix's plans by title, the paying unit), `registry` (register, change, suspend, resume,
end), `months` (closing a month's payment), `queries` — and every state change goes through the workflow
declared in `flows`."""

from .flows import CERT_WARNING_DAYS
from .identifiers import luhn_complete, normalize_carrier, normalize_iccid, normalize_msisdn
from .months import close_due_months, close_due_on, close_month, closed_through, may_close_months
from .plans import MAX_FEE_VND, may_edit_plans, paying_unit_for, plan_for, unit_by_code, update_plan
from .queries import (active_subscription, get_subscription, line_refusal, needing_attention, search,
                      subscriptions_for)
from .registry import change_terms, end, register, resume, suspend

__all__ = [
    "CERT_WARNING_DAYS", "luhn_complete", "normalize_carrier", "normalize_iccid", "normalize_msisdn",
    "close_due_months", "close_due_on", "close_month", "closed_through", "may_close_months", "may_edit_plans", "MAX_FEE_VND",
    "paying_unit_for", "plan_for", "unit_by_code", "update_plan", "active_subscription", "get_subscription",
    "line_refusal", "needing_attention", "search", "subscriptions_for", "change_terms", "end", "register", "resume",
    "suspend",
]
