"""The audit trail in words: action, object, fields and values as a person reads them (issue 17, point 2).

Records keep their stable codes (action `lifecycle.request.confirm`, object type `lifecycle.issuancerequest`,
field `managing_unit_id`); pages show the step's label, the model's and fields' Vietnamese names, dates as
dd/mm/yyyy. The codes stay available to machines (API, `kyso audit`)."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.apps import apps
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyso.core import steps

from .models import AuditRecord

VERBS = {"create": pgettext_lazy("audit action", "Created"), "update": _("Changed"), "delete": _("Deleted"), "import": _("Imported"),
         "read": _("Read"), "login": _("Logged in"), "logout": _("Logged out"), "failed": _("Refused"),
         "sign": _("Signed"), "signed": _("Signed"), "send": _("Sent"), "load": _("Demo data loaded")}
CHANNELS = {"web": _("web page"), "api": _("API"), "cli": _("command line"), "task": _("background job"),
            "system": _("system")}
_REPR = re.compile(r"^\w+ object \(\S+\)$")


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_kind(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else str(_("record"))


def action_label(action: str, object_type: str = "") -> str:
    label = steps.label_of(action)
    if label:
        return str(label)
    parts = action.split(".")
    if parts[-1] == "failed" and len(parts) > 1:
        inner = steps.label_of(".".join(parts[:-1]))
        if inner:
            return f"{VERBS['failed']}: {inner}"
    verb = next((VERBS[p] for p in reversed(parts) if p in VERBS), _("Step"))
    return f"{verb} · {object_kind(object_type)}" if object_type else str(verb)


def object_label(rec: AuditRecord) -> str:
    if not rec.object_type:
        return "—"
    if rec.object_repr and not _REPR.match(rec.object_repr):
        return rec.object_repr
    return f"{object_kind(rec.object_type)} #{rec.object_id}"


def channel_label(channel: str) -> str:
    return str(CHANNELS.get(channel, channel))


COMMON_FIELDS = {"created_at": _("created at"), "updated_at": _("updated at"), "object_type": _("kind of record"),
                 "object_id": _("record number"), "id": _("number"), "via": _("how it was read"),
                 "dossier": _("dossier code")}


def field_label(object_type: str, name: str) -> str:
    if name in COMMON_FIELDS:
        return str(COMMON_FIELDS[name])
    model = _model(object_type)
    if model is not None:
        for field in model._meta.concrete_fields:
            if name in (field.name, field.attname):
                return gettext(str(field.verbose_name))
    return gettext(name.replace("_", " "))


def value_text(value) -> str:
    """A stored value as people read it: dates dd/mm/yyyy, times HH:MM, lists and mappings spelled out."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str):
        when = parse_datetime(value) if "T" in value or " " in value[:20] else None
        if when is not None and len(value) >= 16:
            return date_format(localtime(when) if when.tzinfo else when, "H:i d/m/Y")
        day = parse_date(value) if len(value) == 10 else None
        if day is not None:
            return date_format(day, "d/m/Y")
        return value
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return date_format(value, "d/m/Y")
    return str(value)


def changes(rec: AuditRecord) -> list[tuple[str, str, str]]:
    before = json.loads(rec.before) if rec.before else {}
    after = json.loads(rec.after) if rec.after else {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", value_text(before), value_text(after))]
    keys = sorted(set(before) | set(after))
    return [(field_label(rec.object_type, k), _value(k, before.get(k)), _value(k, after.get(k)))
            for k in keys if before.get(k) != after.get(k)]


VIA_PARTS = {"api": _("through the API"), "page": _("on a page"), "cli": _("at the command line"), "record": _("in an archived record"),
             "dossier": _("in an e-dossier"), "list": _("list"), "detail": _("details"), "export": _("export"),
             "edit": _("edit"), "file": _("submitted file")}
_FORM = re.compile(r"^(?:form)?(\d\d)$")


def via_text(value: str) -> str:
    """How personal data was read ("api.form02.xlsx") in words: "through the API, Form 02, XLSX"."""
    words = []
    for part in value.split("."):
        form = _FORM.match(part)
        if form:
            words.append(gettext("Form %(number)s") % {"number": form.group(1)})
        elif part in VIA_PARTS:
            words.append(str(VIA_PARTS[part]))
        else:
            words.append(part.upper())
    return ", ".join(words)


def _value(name: str, value) -> str:
    """Codes stored in a field become words: a record kind, a step, the way personal data was read."""
    if isinstance(value, str) and value:
        if name == "via":
            return via_text(value)
        if name == "object_type":
            return object_kind(value)
        if name in ("action", "topic", "step", "other") and "." in value:
            return action_label(value)
    return value_text(value)
