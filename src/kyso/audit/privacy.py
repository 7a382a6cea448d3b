"""Personal data in the audit trail's snapshots (issue 16, finding 4).

The `before`/`after` snapshots of watched models — a Form 01 request, a person of the staff, a remote-signing
credential — carry CCCD, dates and places of birth and issue, residence and phone numbers (`PERSONAL_FIELDS`).
The trail shows them, as the lifecycle and the portal do, only to whom holds the right to them
(`AUDIT_PERSONAL_DATA`, in the record's unit): every other reader of the trail (the auditor) sees each such value
masked but for its last 3 characters. Each record whose personal data a reader is shown — through the API or the
record's page — writes one audit record "audit.personal_data.read" on the watched object, saying through what
and which record: never one per field. Only what is shown is masked: the stored records, and so `kyso audit
verify`, are untouched.
"""

from __future__ import annotations

import json

from kyso.core import authz

from . import capture
from .models import AuditRecord
from .permissions import AUDIT_PERSONAL_DATA

READ = "audit.personal_data.read"
PERSONAL_FIELDS = frozenset({"birth_date", "birth_place", "id_number", "id_issue_date", "id_issue_place", "residence",
                             "phone", "phone_office", "phone_home", "phone_mobile", "msisdn", "submitter_phone",
                             "recipient"})   # a notification's phone number or e-mail
SHOWN = 3   # the last characters a masked value still shows


def _snapshot(text):
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def has_personal(rec: AuditRecord) -> bool:
    return any(snap.get(k) not in (None, "") for snap in (_snapshot(rec.before), _snapshot(rec.after)) if snap
               for k in PERSONAL_FIELDS)


def mask_value(value):
    if value in (None, ""):
        return value
    text = str(value)
    return "•" * len(text) if len(text) <= SHOWN else "•" * (len(text) - SHOWN) + text[-SHOWN:]


def masked(text):
    """A snapshot (the stored JSON text) with its personal values masked; anything else as it is."""
    snap = _snapshot(text)
    if not snap or not PERSONAL_FIELDS & snap.keys():
        return text
    return json.dumps({k: mask_value(v) if k in PERSONAL_FIELDS else v for k, v in snap.items()}, ensure_ascii=False,
                      sort_keys=True, default=str)


def _entitled(paths: list[str], rec: AuditRecord) -> bool:
    if not rec.unit_path:
        return any(p.count("/") == 2 for p in paths)   # a record of no unit: the whole agency's right
    return any(rec.unit_path.startswith(p) for p in paths)


def screen(user, records, via: str) -> set[int]:
    """The records (seq) whose personal data `user` may not see, to be masked; each record whose personal data he
    is shown writes one "audit.personal_data.read" record on the watched object."""
    paths = authz.scope_paths(user, AUDIT_PERSONAL_DATA)
    hidden = set()
    for rec in records:
        if not has_personal(rec):
            continue
        if _entitled(paths, rec):
            capture.record(READ, object_type=rec.object_type, object_id=rec.object_id, object_repr=rec.object_repr,
                           unit_path=rec.unit_path, after={"via": via, "seq": rec.seq})
        else:
            hidden.add(rec.seq)
    return hidden
