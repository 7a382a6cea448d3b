"""The e-office's steps, one name each, for the pages, the API, the CLI and the demo. The work is in the
sub-domain modules — `drafts` (drafting and review), `signature` (the leader's token or phone), `issuing`
(the clerk's seal, number and dispatch), `incoming` (the incoming book, assignment, handling), `queries`,
`rules` — and every state change goes through the workflows declared in `flows`."""

from .drafts import create_draft, replace_draft, review, submit_for_review
from .flows import HANDLING_DAYS as DEFAULT_HANDLING_DAYS
from .incoming import assign, complete, receive_external, register_arrival
from .issuing import dispatch, issue, issue_and_dispatch
from .queries import (get_incoming, incoming_for, outgoing_for, reviewers_for, search, signers_for, waiting)
from .rules import (MAX_ATTACHMENTS, MAX_FILE_BYTES, issuing_unit_for, symbol_for)
from .rules import next_number as _next_number
from .signature import collect_phone_signature, get_outgoing, request_phone_signature, sign_with_token

__all__ = [
    "create_draft", "replace_draft", "review", "submit_for_review", "DEFAULT_HANDLING_DAYS", "assign", "complete",
    "receive_external", "register_arrival", "dispatch", "issue", "issue_and_dispatch", "get_incoming",
    "incoming_for", "outgoing_for", "reviewers_for", "search", "signers_for", "waiting",
    "MAX_ATTACHMENTS", "MAX_FILE_BYTES", "issuing_unit_for", "symbol_for", "_next_number",
    "collect_phone_signature", "get_outgoing", "request_phone_signature", "sign_with_token",
]
