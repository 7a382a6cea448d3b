"""The certificate lifecycle's steps, one name each, for the pages, the API, the CLI and other apps
(Decision 508, Art. 4–6). The work is in the sub-domain modules — `requests` (Form 01), `lists` (Form 02
up the hierarchy), `review`, `approval`, `ca` (the exchange with the CA), `handover` (Forms 03, 04),
`revocation` (Form 05), `devices`, `renewal` (letter 26), `queries` — and every state change goes
through the workflows declared in `flows`."""

from .approval import approve_list, compile_approval_list
from .ca import ca_outcome, import_issued, notify_unit_of_outcome, record_issued, send_to_ca, supplement_done
from .devices import change_device, device_by_serial, next_states, register_device, search_devices
from .handover import activate, attach_signed_record, handover_to_subscriber, handover_to_unit
from .lists import compile_list, receive_list, send_list
from .queries import (open_deadlines, search_certificates, visible_certificates, visible_lists, visible_records,
                      visible_requests, visible_revocations, waiting_rows)
from .renewal import expiry_buckets, renewal, seal_campaign
from .requests import FORM01_FIELDS, confirm_request, edit_request, file_request, hold
from .review import resubmit, review
from .revocation import (IMMEDIATE, ca_confirmed_revocation, confirm_revocation, notify_unit_to_recover,
                         request_revocation, return_device, send_revocation)
from .units import it_center, managing_unit, next_up, subscriber_for

__all__ = [
    "approve_list", "compile_approval_list", "ca_outcome", "import_issued", "notify_unit_of_outcome", "record_issued",
    "send_to_ca", "supplement_done", "change_device", "device_by_serial", "next_states", "register_device",
    "search_devices", "activate", "attach_signed_record", "handover_to_subscriber", "handover_to_unit",
    "compile_list", "receive_list", "send_list", "open_deadlines", "search_certificates", "visible_certificates",
    "visible_lists", "visible_records", "visible_requests", "visible_revocations", "waiting_rows", "expiry_buckets", "renewal",
    "seal_campaign", "FORM01_FIELDS", "confirm_request", "edit_request", "file_request", "hold", "resubmit", "review",
    "IMMEDIATE", "ca_confirmed_revocation", "confirm_revocation", "notify_unit_to_recover", "request_revocation",
    "return_device", "send_revocation", "it_center", "managing_unit", "next_up", "subscriber_for",
]
