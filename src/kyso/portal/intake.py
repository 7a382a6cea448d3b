"""Receiving a dossier: the rule in force, the schema and the signature of every file are checked at
once, before anything is written (letter 2671, Decision 352): a bad file is refused immediately with
its reason. An accepted dossier gets its Circular 01/2018 code, a due date in working days and a
receipt signed with the office's organisation certificate — all in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.errors import Forbidden, InvalidInput, NotFound
from kyso.files import storage
from kyso.org.models import Unit
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import parse as parse_xml
from kyso.workdays.calendar import add_working_days

from . import codes, documents, rules, schemas, tracking
from .models import Channel, DocKind, Dossier, DossierFile, DossierKind, Procedure, Status, Submitter, SubmitterKind
from .permissions import PORTAL_RECEIVE

MAX_FILES = 20
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass
class Upload:
    name: str
    data: bytes


@dataclass
class Checked:
    upload: Upload
    form: object
    indication: str = ""
    signer: str = ""
    report: dict = field(default_factory=dict)


def procedure_for(code: str, channel: str, on: dt.date) -> Procedure:
    proc = Procedure.objects.filter(code=code, is_active=True).first()
    if proc is None or proc.effective_from > on or (proc.effective_to and proc.effective_to < on):
        raise NotFound("portal.procedure.not_found", _("There is no procedure %(code)s in force."), code=code)
    if channel not in (proc.channels or []):
        raise InvalidInput("portal.procedure.channel", _("Procedure %(code)s cannot be submitted through %(channel)s."),
                           code=code, channel=Channel(channel).label)
    return proc


def submitter_of(user) -> Submitter:
    sub = Submitter.objects.filter(user=user, is_active=True).select_related("unit").first() if user else None
    if sub is None:
        raise Forbidden("portal.submitter.required", _("Only registered employers, citizens and I-VAN providers submit dossiers."))
    return sub


def check_uploads(uploads: list[Upload], proc: Procedure, *, signed: bool, complete: bool = True) -> list[Checked]:
    """Every file parsed, matched to a form, schema-validated and (signed dossiers) verified.
    All problems are collected and reported together, one per file."""
    if not uploads:
        raise InvalidInput("portal.intake.no_files", _("The dossier has no files."))
    if len(uploads) > MAX_FILES:
        raise InvalidInput("portal.intake.too_many_files", _("A dossier has at most %(n)s files."), n=MAX_FILES)
    forms = list(proc.forms.all())
    problems: dict = {}
    checked: list[Checked] = []
    trust = None
    for up in uploads:
        label = up.name or "?"
        if len(up.data) > MAX_FILE_BYTES:
            problems[label] = ("portal.intake.file_too_large", _("The file is larger than 10 MB."))
            continue
        try:
            root = parse_xml(up.data)
        except InvalidInput as exc:
            problems[label] = (exc.code, exc.message)
            continue
        form = schemas.form_for(root, forms)
        if form is None:
            problems[label] = ("portal.intake.unknown_form",
                               _("The file is not a form of procedure %(code)s (XML namespace %(ns)s).")
                               % {"code": proc.code, "ns": schemas.namespace_of(root) or "—"})
            continue
        errors = schemas.schema_errors(root, form)
        if errors:
            problems[label] = ("portal.intake.schema_invalid", _("Form %(form)s does not follow its XML schema: %(errors)s")
                               % {"form": form.code, "errors": "; ".join(errors)})
            continue
        item = Checked(up, form)
        if signed:
            if trust is None:
                from kyso.signing.trust import default_trust
                trust = default_trust()
            report = verify_bytes(up.data, filename=up.name, trust=trust)
            item.indication, item.report = report.indication, report.to_dict()
            if report.indication != "TOTAL_PASSED":
                reasons = "; ".join(report.messages) or report.indication
                problems[label] = ("portal.intake.signature_invalid",
                                   _("The signature of %(file)s is not valid (%(indication)s): %(reasons)s")
                                   % {"file": label, "indication": report.sub_indication or report.indication,
                                      "reasons": reasons})
                continue
            sig = report.signatures[0] if report.signatures else None
            item.signer = sig.signer if sig else ""
        checked.append(item)
    if problems:
        first_code = next(iter(problems.values()))[0]
        raise InvalidInput(first_code, _("The dossier is refused: %(n)s file(s) failed the checks."), n=len(problems),
                           fields=problems)
    seen = [c.form.code for c in checked]
    duplicates = sorted({c for c in seen if seen.count(c) > 1})
    if duplicates:
        raise InvalidInput("portal.intake.duplicate_form", _("Form %(form)s is in the dossier twice."), form=duplicates[0])
    missing = [f.code for f in forms if f.mandatory and f.code not in seen]
    if missing and complete:
        raise InvalidInput("portal.intake.missing_form", _("The mandatory form %(form)s is missing."), form=", ".join(missing))
    return checked


def _unit(code: str | None, default: Unit | None) -> Unit:
    if not code:
        if default is None:
            raise InvalidInput("portal.intake.unit_required", _("Name the social-security office that receives the dossier."))
        return default
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise NotFound("portal.intake.unit_not_found", _("There is no active office with code %(code)s."), code=code)
    return unit


def _create(*, proc: Procedure, unit: Unit, channel: str, kind: str, rule, submitter: Submitter | None, user,
            name: str, tax_code: str, email: str, phone: str, checked: list[Checked], data: dict | None = None,
            extra_files: list[Upload] = ()) -> Dossier:
    now = timezone.now()
    day = timezone.localdate(now)
    due = add_working_days(day, proc.processing_days)
    with audit.action("portal.dossier.receive"):
        dossier = Dossier.objects.create(
            code=codes.allocate(unit, day), unit=unit, procedure=proc, channel=channel, kind=kind, intake_rule=rule,
            submitter=submitter, submitted_by=user if getattr(user, "is_authenticated", False) else None,
            submitter_name=name[:300], submitter_tax_code=tax_code[:20], submitter_email=email[:254],
            submitter_phone=phone[:20], received_at=now, received_on=day, due_date=due, original_due_date=due,
            data=data or {})
        for c in checked:
            stored = storage.store(c.upload.data, name=c.upload.name or f"{c.form.code}.xml", media_type="application/xml",
                                   purpose="portal.dossier", unit_path=unit.path)
            DossierFile.objects.create(dossier=dossier, form=c.form, file=stored, indication=c.indication,
                                       signer=c.signer[:300], report=c.report)
        for up in extra_files:
            stored = storage.store(up.data, name=up.name, media_type="image/png", purpose="portal.scan", unit_path=unit.path)
            DossierFile.objects.create(dossier=dossier, file=stored)
        tracking.log(dossier, "receive", f"{rule.code}")
        documents.issue(dossier, DocKind.RECEIPT, documents.receipt(dossier))
    tracking.tell(dossier, _("Dossier %(code)s received; result due on %(due)s.")
                  % {"code": dossier.code, "due": dossier.due_date.strftime("%d/%m/%Y")})
    return dossier


def submit_signed(user, *, procedure_code: str, files: list[Upload], channel: str = Channel.PORTAL,
                  employer: dict | None = None, unit_code: str | None = None) -> Dossier:
    """A signed e-dossier from the portal (employer, citizen) or an I-VAN provider (on behalf of an employer)."""
    sub = submitter_of(user)
    if channel == Channel.IVAN and sub.kind != SubmitterKind.IVAN:
        raise Forbidden("portal.ivan.only", _("Only I-VAN providers submit through the I-VAN interface."))
    if channel == Channel.PORTAL and sub.kind == SubmitterKind.IVAN:
        raise InvalidInput("portal.ivan.use_api", _("I-VAN providers submit through the I-VAN interface."))
    day = timezone.localdate()
    proc = procedure_for(procedure_code, channel, day)
    if channel == Channel.IVAN:
        employer = employer or {}
        if not employer.get("tax_code") or not employer.get("name"):
            raise InvalidInput("portal.ivan.employer_required", _("Name the employer (tax code and name) the dossier is for."),
                               fields={"employer": ("required", _("Tax code and name are required."))})
        name, tax, email, phone = employer["name"], employer["tax_code"], employer.get("email", ""), employer.get("phone", "")
        submitter_kind = SubmitterKind.EMPLOYER
        unit = _unit(unit_code, None)
    else:
        name, tax, email, phone = sub.name, sub.tax_code, sub.email or user.email, sub.phone
        submitter_kind = sub.kind
        unit = _unit(unit_code, sub.unit)
    rule = rules.require_accepted(kind=DossierKind.SIGNED, channel=channel, procedure_code=proc.code,
                                  submitter_kind=submitter_kind, has_signature=True, on=day)
    checked = check_uploads(files, proc, signed=True)
    return _create(proc=proc, unit=unit, channel=channel, kind=DossierKind.SIGNED, rule=rule, submitter=sub, user=user,
                   name=name, tax_code=tax, email=email, phone=phone, checked=checked)


def receive_barcode(officer, *, unit: Unit, procedure_code: str, payload: bytes, submitter_kind: str, name: str,
                    tax_code: str = "", email: str = "", phone: str = "", has_digital_signature: bool = True,
                    scan: Upload | None = None) -> Dossier:
    """A printed form with a 2D barcode, brought to the one-stop desk. The rules in force decide; from
    01/01/2016 only the child-card exception (commune committee without digital signature) remains."""
    scope.require(officer, PORTAL_RECEIVE, unit)
    if submitter_kind not in SubmitterKind.values:
        raise InvalidInput("portal.desk.submitter_kind", _("Unknown kind of submitter."))
    if not name.strip():
        raise InvalidInput("portal.desk.name_required", _("The submitter's name is required."),
                           fields={"name": ("required", _("The submitter's name is required."))})
    day = timezone.localdate()
    proc = procedure_for(procedure_code, Channel.DESK, day)
    rule = rules.require_accepted(kind=DossierKind.BARCODE, channel=Channel.DESK, procedure_code=proc.code,
                                  submitter_kind=submitter_kind, has_signature=has_digital_signature, on=day)
    checked = check_uploads([Upload(f"{procedure_code}-barcode.xml", payload)], proc, signed=False)
    return _create(proc=proc, unit=unit, channel=Channel.DESK, kind=DossierKind.BARCODE, rule=rule, submitter=None,
                   user=officer, name=name, tax_code=tax_code, email=email, phone=phone, checked=checked,
                   data={"barcode": payload.decode("utf-8", "replace")[:4000]},
                   extra_files=[scan] if scan else [])


__all__ = ["Upload", "submit_signed", "receive_barcode", "Status"]
