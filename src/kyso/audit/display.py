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

from kyso.core import display as words
from kyso.core import steps

from .fieldnames import KINDS, NAMES
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
    if model is None:
        return str(_("record"))
    name = str(model._meta.verbose_name)
    return str(KINDS.get(name, name)) if "verbose_name" not in model._meta.original_attrs else name


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


def actor_label(actor: str) -> str:
    """Who acted, as a person reads it: a background job by its name, a visitor not logged in in words; a login
    stays as it is (the trail is searched by it)."""
    if actor == "anonymous":
        return str(_("someone not logged in"))
    prefix, _sep, name = actor.partition(":")
    if prefix == "job":
        label = steps.label_of(actor)
        return str(label) if label else actor
    if prefix in CHANNELS and name:                       # a command run on the server with no --user: its OS account
        return gettext("server account %(name)s") % {"name": name}
    return actor


def channel_label(channel: str) -> str:
    return str(CHANNELS.get(channel, channel))


COMMON_FIELDS = {"created_at": _("created at"), "updated_at": _("updated at"), "object_type": _("kind of record"),
                 "object_id": _("record number"), "id": _("number"), "via": _("how it was read"),
                 "dossier": _("dossier code")}


def _field(object_type: str, name: str):
    model = _model(object_type)
    if model is not None:
        for field in model._meta.concrete_fields:
            if name in (field.name, field.attname):
                return field
    return None


def _name_in_words(name: str) -> str:
    """A field or key named only by its identifier (`created_by`, `total_vnd`): its Vietnamese name from the
    catalogue ("field name" context), so that the names shared by many models are translated once."""
    spaced = name.replace("_", " ").strip()
    return str(NAMES[spaced]) if spaced in NAMES else gettext(spaced)


def field_label(object_type: str, name: str) -> str:
    if name in COMMON_FIELDS:
        return str(COMMON_FIELDS[name])
    field = _field(object_type, name)
    if field is not None and str(field.verbose_name) != field.name.replace("_", " "):
        return gettext(str(field.verbose_name))
    return _name_in_words(field.name if field is not None else name)


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
        if value.lstrip().startswith("<"):           # an XML document kept whole (a dossier's barcode data)
            return gettext("XML data, %(n)s characters") % {"n": len(value)}
        if words._YM.match(value):
            return words.month(value)
        if words._RDN.match(value) and "=" in value and ("," in value or value.startswith("CN=")):
            return words.distinguished_name(value)
        return words.in_words(value)
    if isinstance(value, dict):
        if "indication" in value:       # a signature verification report: its verdict in words, not its checks
            verdict = words.verdict(value.get("indication"), value.get("sub_indication"))
            return f"{value['filename']}: {verdict}" if value.get("filename") else verdict
        return "; ".join(f"{_name_in_words(str(k))}: {_value(str(k), v)}" for k, v in value.items())
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
    return [(field_label(rec.object_type, k), _value(k, before.get(k), rec.object_type),
             _value(k, after.get(k), rec.object_type))
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


def _choice(object_type: str, name: str, value) -> str | None:
    """A stored code in the words its model gives it: a choice's label, or the model's `audit_words` for the
    field (a mapping or a function), e.g. an e-office history verb, a stored file's purpose."""
    field = _field(object_type, name) if object_type else None
    if field is None:
        return None
    spelled = getattr(field.model, "audit_words", {}).get(field.name)
    if callable(spelled):
        return str(spelled(value))
    if spelled is not None and value in spelled:
        word = str(spelled[value])
        return str(KINDS.get(word, word))        # a kind of record named by its model's default name
    if field.choices:
        label = dict(field.flatchoices).get(value)
        if label is not None:
            return str(label)
    return None


def _value(name: str, value, object_type: str = "") -> str:
    """Codes stored in a field become words: a choice, a record kind, a step, the way personal data was read, a
    signature's indication, a revocation reason."""
    if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "":
        chosen = _choice(object_type, name, value)
        if chosen is not None:
            return chosen
    if isinstance(value, str) and value:
        if name in ("revocation_reason", "reason_code"):
            return words.revocation_reason(value)
        if name == "via":
            return via_text(value)
        if name == "object_type":
            return object_kind(value)
        if name in ("action", "topic", "step", "other") and "." in value:
            return action_label(value)
        if name == "kind" and steps.label_of(f"job:{value}"):       # a background job's kind, by its name
            return str(steps.label_of(f"job:{value}"))
    return value_text(value)
