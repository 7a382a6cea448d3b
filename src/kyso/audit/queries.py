"""Reading the trail within the reader's scope."""

from __future__ import annotations

import json

from django.db.models import Q

from kyso.core import authz as scope
from kyso.core import dates

from .permissions import AUDIT_VIEW
from .models import AuditRecord


def visible_records(user):
    """Records whose object lies in the user's audit scope; records of no unit need a root scope."""
    paths = scope.scope_paths(user, AUDIT_VIEW)
    if not paths:
        return AuditRecord.objects.none()
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(unit_path__startswith=p)
    if any(p.count("/") == 2 for p in paths):  # a root unit: the whole agency, system records too
        q |= Q(unit_path="")
    return AuditRecord.objects.filter(q)


def filtered(qs, params):
    if params.get("action"):
        qs = qs.filter(action__startswith=params["action"])
    if params.get("actor"):
        qs = qs.filter(actor=params["actor"])
    if params.get("object_type"):
        qs = qs.filter(object_type=params["object_type"])
    if params.get("object_id"):
        qs = qs.filter(object_id=params["object_id"])
    if params.get("request_id"):
        qs = qs.filter(request_id=params["request_id"])
    if params.get("since"):
        qs = qs.filter(at__date__gte=dates.parse(params["since"], field="since"))
    if params.get("until"):
        qs = qs.filter(at__date__lte=dates.parse(params["until"], field="until"))
    return qs


def diff(record: AuditRecord) -> list[tuple[str, object, object]]:
    before = json.loads(record.before) if record.before else {}
    after = json.loads(record.after) if record.after else {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before, after)]
    keys = sorted(set(before) | set(after))
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
