"""Receiving a dossier: the rule in force, the schema and the signature of every file are checked at
once, before anything is written (letter 2671, Decision 352): a bad file is refused immediately with
its reason. A signed dossier is the submitter's own, whoever he is and however it came (portal page, API,
I-VAN, in-browser signing, CLI): filed with his managing office, every file signed by him and every form
about him (`signers.require_submitters_own`). An accepted dossier gets its Circular 01/2018 code, a due date in working days and a
receipt signed with the office's organisation certificate — all in the caller's transaction (the receipt's
time-stamp and its PDF come later: `receipts`)."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput, NotFound
from kyso.files import storage
from kyso.org.models import Unit
from kyso.pki.models import CertificateAuthority
from kyso.signing.trust import default_trust, trust_dir
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import parse as parse_xml
from kyso.workdays.calendar import add_working_days

from . import codes, idempotency, receipts, rules, schemas, signers, tracking
from .models import Channel, Dossier, DossierFile, DossierKind, Procedure, Status, Submitter, SubmitterKind
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
    certificate: object = None      # the signer's x509 certificate (signed dossiers)
    root: object = None             # the parsed XML


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


TRUST_SECONDS = 60
_trust: tuple[tuple, float, object] | None = None


def intake_trust():
    """The trust store of `signing.trust.default_trust`, rebuilt only when one of our CAs changed, revoked
    something or issued a CRL (one query), the trust folder's listing changed, or after TRUST_SECONDS (a file
    rewritten in place, a CRL's expiry): a revocation counts for the very next dossier, without reading every
    CA, CRL and trust file again for each dossier."""
    global _trust
    if _trust is not None and _trust[0] == _trust_key() and _trust[1] > time.monotonic():
        return _trust[2]
    store = default_trust()
    _trust = (_trust_key(), time.monotonic() + TRUST_SECONDS, store)
    return store


def _trust_key() -> tuple:
    folder = trust_dir()
    try:
        listed = folder.stat().st_mtime_ns
    except OSError:
        listed = None
    cas = CertificateAuthority.objects.order_by("id").values_list("id", "revocation_version", "crl_number", "cert_der")
    return str(folder), listed, tuple((i, v, n, bytes(der)) for i, v, n, der in cas)


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
        item = Checked(up, form, root=root)
        if signed:
            if trust is None:
                trust = intake_trust()
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
            item.certificate = sig.certificate if sig else None
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


PERIOD_TAGS = ("KyBaoCao", "KyKeKhai", "ThangNam")


def period_of(checked: list[Checked]) -> str:
    """The period a dossier declares (the forms' reporting period, e.g. KyBaoCao 2026-11), or ''."""
    for c in checked:
        root = c.root if c.root is not None else parse_xml(c.upload.data)
        for tag in PERIOD_TAGS:
            found = root.find(f".//{{*}}{tag}")
            if found is not None and (found.text or "").strip():
                return found.text.strip()[:20]
    return ""


def _unit(code: str | None, default: Unit | None) -> Unit:
    if not code:
        if default is None:
            raise InvalidInput("portal.intake.unit_required", _("Name the social-security office that receives the dossier."))
        return default
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise NotFound("portal.intake.unit_not_found", _("There is no active office with code %(code)s."), code=code)
    return unit


def require_managing_office(sub: Submitter, unit: Unit) -> None:
    """A submitter files with the social-security office that manages his account (or an office under it), as an
    I-VAN provider files with the office that registered the employer: before, an employer managed in one district
    could send its dossiers to any office of any province, whose officers do not keep its registrations."""
    if not unit.is_in_subtree_of(sub.unit):
        raise Forbidden("portal.intake.not_managing_office",
                        _("Your dossiers are received by %(office)s, the social-security office that manages your "
                          "account (or an office under it), not by %(unit)s."),
                        office=sub.unit.name, unit=unit.name)


def _create(*, proc: Procedure, unit: Unit, channel: str, kind: str, rule, submitter: Submitter | None, user,
            name: str, tax_code: str, email: str, phone: str, checked: list[Checked], data: dict | None = None,
            extra_files: list[Upload] = ()) -> Dossier:
    """Files, code, receipt, rows. The files' bytes are archived before any lock; the receipt is signed between
    the code's allocation (which locks the office's day sequence) and the first audited write (which locks the
    audit chain until commit): neither the synced writes nor the private-key operation of the intake hold a
    lock other intakes of other offices wait for."""
    now = timezone.now()
    day = timezone.localdate(now)
    due = add_working_days(day, proc.processing_days)
    files = [(c.upload.data, c.upload.name or f"{c.form.code}.xml", c) for c in checked]
    # the files' bytes into the archive (synced writes) before any lock is taken
    lines = [receipts.FileLine(os.path.basename(fname)[:255], c.form.code, storage.put(data), c.signer[:300],
                               c.indication) for data, fname, c in files]
    lines += [receipts.FileLine(os.path.basename(up.name)[:255], "", storage.put(up.data)) for up in extra_files]
    code = codes.allocate(unit, day)
    signed = receipts.sign(receipts.receipt_xml(
        code=code, unit=unit, procedure=proc, channel=channel, kind=kind, name=name, tax_code=tax_code,
        received_at=now, due=due, rule=rule, files=lines), unit)
    storage.put(signed)
    dossier = Dossier.objects.create(
        code=code, unit=unit, procedure=proc, channel=channel, kind=kind, intake_rule=rule,
        submitter=submitter, submitted_by=user if getattr(user, "is_authenticated", False) else None,
        submitter_name=name[:300], submitter_tax_code=tax_code[:20], submitter_email=email[:254],
        submitter_phone=phone[:20], received_at=now, received_on=day, due_date=due, original_due_date=due,
        data={**(data or {}), "period": period_of(checked)})
    for data_, fname, c in files:
        stored = storage.store(data_, name=fname, media_type="application/xml", purpose="portal.dossier",
                               unit_path=unit.path)
        DossierFile.objects.create(dossier=dossier, form=c.form, file=stored, indication=c.indication,
                                   signer=c.signer[:300], report=c.report)
    for up in extra_files:
        stored = storage.store(up.data, name=up.name, media_type="image/png", purpose="portal.scan", unit_path=unit.path)
        DossierFile.objects.create(dossier=dossier, file=stored)
    tracking.log(dossier, "receive", rule.title)                  # the rule in words; the dossier keeps its code
    receipts.attach(dossier, signed)
    tracking.tell(dossier, _("Dossier %(code)s received; result due on %(due)s.")
                  % {"code": dossier.code, "due": dossier.due_date.strftime("%d/%m/%Y")})
    return dossier


SUBMIT = steps.step("portal.dossier.receive", label=_("Receive"))
RECEIVE = steps.step("portal.dossier.receive", perm=PORTAL_RECEIVE, label=_("Receive"))


def submit_signed(user, *, procedure_code: str, files: list[Upload], channel: str = Channel.PORTAL,
                  employer: dict | None = None, unit_code: str | None = None) -> Dossier:
    """A signed e-dossier from the portal (employer, citizen) or an I-VAN provider (on behalf of an employer):
    every check before anything is written, the whole intake one step of the runner."""
    return steps.run(SUBMIT, lambda attempt: _submit_signed(user, procedure_code=procedure_code, files=files,
                                                            channel=channel, employer=employer, unit_code=unit_code),
                     actor=user)


def submit_once(user, *, key: str, digest: str, **kw) -> tuple[Dossier, bool]:
    """`submit_signed` under an Idempotency-Key, claimed in the same step: (dossier, replayed). A refused
    dossier leaves the key unclaimed."""
    def body(attempt):
        row, previous = idempotency.claim(user, key, digest)
        if previous is not None:
            return previous, True
        dossier = _submit_signed(user, **kw)
        idempotency.bind(row, dossier)
        return dossier, False

    return steps.run(SUBMIT, body, actor=user)


def _submit_signed(user, *, procedure_code, files, channel=Channel.PORTAL, employer=None, unit_code=None) -> Dossier:
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
        signers.require_registered(sub, tax, day, unit)
    else:
        name, tax, email, phone = sub.name, sub.tax_code, sub.email or user.email, sub.phone
        submitter_kind = sub.kind
        unit = _unit(unit_code, sub.unit)
        require_managing_office(sub, unit)
    party = signers.Party(submitter_kind, tax, name)
    signers.require_identified(party)
    rule = rules.require_accepted(kind=DossierKind.SIGNED, channel=channel, procedure_code=proc.code,
                                  submitter_kind=submitter_kind, has_signature=True, on=day)
    checked = check_uploads(files, proc, signed=True)
    signers.require_submitters_own(checked, party, day, unit)
    return _create(proc=proc, unit=unit, channel=channel, kind=DossierKind.SIGNED, rule=rule, submitter=sub, user=user,
                   name=name, tax_code=tax, email=email, phone=phone, checked=checked)


def receive_barcode(officer, *, unit: Unit, procedure_code: str, payload: bytes, submitter_kind: str, name: str,
                    tax_code: str = "", email: str = "", phone: str = "", has_digital_signature: bool = True,
                    scan: Upload | None = None) -> Dossier:
    """A printed form with a 2D barcode, brought to the one-stop desk. The rules in force decide; from
    01/01/2016 only the child-card exception (commune committee without digital signature) remains."""
    return steps.run(RECEIVE, lambda attempt: _receive_barcode(
        officer, unit=unit, procedure_code=procedure_code, payload=payload, submitter_kind=submitter_kind, name=name,
        tax_code=tax_code, email=email, phone=phone, has_digital_signature=has_digital_signature, scan=scan),
        actor=officer, unit=unit.path)


def _receive_barcode(officer, *, unit, procedure_code, payload, submitter_kind, name, tax_code, email, phone,
                     has_digital_signature, scan) -> Dossier:
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
