"""Letter 26/CNTT-HTA: record the certificates issued before Kyso (and their changes and revocations)
from a register (CSV/XLSX) plus the certificate files. All rows or none: every row is checked first,
and a single bad row rejects the file with a report of every rejected row."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.accounts import scope
from kyso.core import steps
from kyso.core.errors import Forbidden, InvalidInput, KysoError
from kyso.core.tables import check_zip, fold, read_table
from kyso.jobs.models import Job
from kyso.jobs.uploads import files_of, submit_files
from kyso.org.models import Person, Unit

from . import devices, exchange
from .models import CertStatus, Certificate, DeviceState, KeyDevice, RevocationReason, Source, SubscriberKind
from .permissions import LC_IMPORT
from .units import subscriber_for

ALIASES = {
    "file": ["tệp", "tệp chứng thư", "tep chung thu so", "file", "certificate file"],
    "serial": ["số hiệu", "số hiệu chứng thư số", "số serial", "serial"],
    "kind": ["loại", "loại thuê bao", "kind"],
    "unit": ["mã đơn vị", "đơn vị", "unit", "unit code"],
    "id_number": ["số giấy tờ", "số cccd", "số cmnd", "cccd", "id number"],
    "email": ["thư điện tử", "địa chỉ thư điện tử", "e-mail", "email"],
    "subject": ["chủ thể", "tên thuê bao", "subject"],
    "issuer": ["tổ chức cấp", "issuer"],
    "valid_from": ["hiệu lực từ", "ngày bắt đầu", "valid from"],
    "valid_to": ["hiệu lực đến", "ngày hết hạn", "valid to", "valid until"],
    "device": ["thiết bị", "số hiệu thiết bị", "số hiệu thiết bị lưu khóa", "device"],
    "mobile_sim": ["sim", "sim pki", "mobile sim", "chữ ký số trên sim"],
    "status": ["trạng thái", "status"],
    "reason": ["lý do thu hồi", "revocation reason"],
}
REQUIRED = ["kind"]
KIND = "lifecycle.import_register"
IMPORT = steps.step("lifecycle.certificate.import", label=_("Import the register of issued certificates"))
KINDS = {"ca nhan": SubscriberKind.PERSON, "person": SubscriberKind.PERSON, "to chuc": SubscriberKind.ORGANIZATION,
         "co quan": SubscriberKind.ORGANIZATION, "organization": SubscriberKind.ORGANIZATION,
         "organisation": SubscriberKind.ORGANIZATION}
STATUSES = {"": CertStatus.ACTIVE, "hoat dong": CertStatus.ACTIVE, "active": CertStatus.ACTIVE,
            "con hieu luc": CertStatus.ACTIVE, "thu hoi": CertStatus.REVOKED, "da thu hoi": CertStatus.REVOKED,
            "revoked": CertStatus.REVOKED}
DEFAULT_ISSUER = "CN=CA phục vụ các cơ quan Đảng, Nhà nước,O=Ban Cơ yếu Chính phủ,C=VN"
TRUE = {"1", "x", "co", "yes", "true", "sim"}


@dataclass
class Row:
    number: int
    kind: str
    unit: Unit
    person: Person | None
    serial: str
    issuer: str
    subject: str
    not_before: dt.datetime
    not_after: dt.datetime
    der: bytes = b""
    device: str = ""
    mobile_sim: bool = False
    status: str = CertStatus.ACTIVE
    reason: str = ""


@dataclass
class Report:
    imported: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)   # (row, code, message)

    def as_dict(self) -> dict:
        return {"imported": self.imported,
                "rejected": [{"row": n, "code": c, "message": m} for n, c, m in self.rejected]}


class Rejected(InvalidInput):
    """The register has bad rows: nothing was imported; `report` lists every rejected row."""

    def __init__(self, report: Report):
        super().__init__("lifecycle.import.rejected",
                         _("%(count)s row(s) rejected; nothing was imported."), count=len(report.rejected),
                         fields={f"row {n}": (code, msg) for n, code, msg in report.rejected[:200]})
        self.report = report


def unpack_files(uploads: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """Certificate files by name (folded); zip archives are opened."""
    out: dict[str, bytes] = {}
    for name, data in uploads:
        if data[:2] == b"PK" and name.lower().endswith(".zip"):
            try:
                check_zip(data, max_entries=settings.KYSO_IMPORT_MAX_ROWS)
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    for info in z.infolist()[:5000]:
                        if not info.is_dir() and info.file_size <= 1024 * 1024:
                            out[fold(info.filename.rsplit("/", 1)[-1])] = z.read(info)
            except zipfile.BadZipFile as exc:
                raise InvalidInput("lifecycle.import.zip", _("%(name)s is not a readable zip file."), name=name) from exc
        else:
            out[fold(name.rsplit("/", 1)[-1])] = data
    return out


def _date(value, field_name: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        d = value
    elif isinstance(value, dt.date):
        d = dt.datetime.combine(value, dt.time())
    else:
        text = str(value or "").strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                d = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise InvalidInput("lifecycle.import.date", _("%(field)s is not a date (dd/mm/yyyy)."), field=field_name)
    return timezone.make_aware(d) if timezone.is_naive(d) else d


def _parse_row(user, number: int, raw: dict, files: dict[str, bytes], units: dict[str, Unit]) -> Row:
    kind = KINDS.get(fold(raw.get("kind")))
    if kind is None:
        raise InvalidInput("lifecycle.import.kind", _("The kind is 'cá nhân' (person) or 'tổ chức' (organisation)."))
    code = str(raw.get("unit") or "").strip()
    unit = units.get(code) if code else None
    if code and unit is None:
        raise InvalidInput("lifecycle.import.unit", _("Unknown unit %(code)s."), code=code)
    if unit is None and kind == SubscriberKind.ORGANIZATION:
        raise InvalidInput("lifecycle.import.unit_missing", _("An organisation certificate needs its unit code."))
    name = fold(raw.get("file"))
    cert = None
    if name:
        if name not in files:
            raise InvalidInput("lifecycle.import.file_missing", _("The certificate file %(name)s was not uploaded."),
                               name=raw.get("file"))
        cert = exchange.load_issued(files[name])[0]
    person = None
    if kind == SubscriberKind.PERSON:
        ident = str(raw.get("id_number") or "").strip()
        email = str(raw.get("email") or "").strip().lower() or (exchange.email_of(cert) if cert else "")
        qs = Person.objects.filter(unit__path__startswith=unit.path) if unit else Person.objects.all()
        person = (qs.filter(id_number=ident).first() if ident else None) or \
                 (qs.filter(email__iexact=email).first() if email else None)
        if person is None:
            raise InvalidInput("lifecycle.import.person", _("No staff member%(where)s with this ID number or "
                                                            "e-mail."), where=f" ({code})" if code else "")
        unit = unit or person.unit
    if user is not None and not scope.can(user, LC_IMPORT, unit):   # None: the server's operator
        raise InvalidInput("lifecycle.import.scope", _("Unit %(code)s is outside your scope."), code=unit.code)
    if cert is not None:
        row = Row(number, kind, unit, person, format(cert.serial_number, "x"), cert.issuer.rfc4514_string()[:300],
                  cert.subject.rfc4514_string()[:500], cert.not_valid_before_utc, cert.not_valid_after_utc,
                  der=cert.public_bytes(serialization.Encoding.DER))
        if person is not None and exchange.email_of(cert) and exchange.email_of(cert) != person.email.lower():
            raise InvalidInput("lifecycle.import.email_mismatch",
                               _("The certificate's e-mail %(email)s is not the staff member's."),
                               email=exchange.email_of(cert))
    else:
        serial = str(raw.get("serial") or "").strip().lower().replace(":", "").replace(" ", "")
        if not serial or any(c not in "0123456789abcdef" for c in serial):
            raise InvalidInput("lifecycle.import.serial", _("Give the certificate file or its serial number (hex)."))
        if not raw.get("valid_to"):
            raise InvalidInput("lifecycle.import.valid_to", _("Without a certificate file the validity end date is "
                                                              "required."))
        not_after = _date(raw.get("valid_to"), "valid_to")
        not_before = _date(raw["valid_from"], "valid_from") if raw.get("valid_from") else not_after - dt.timedelta(
            days=5 * 365)
        subject = str(raw.get("subject") or "").strip() or (person.full_name if person else unit.name)
        row = Row(number, kind, unit, person, serial, str(raw.get("issuer") or "").strip() or DEFAULT_ISSUER,
                  f"CN={subject}"[:500], not_before, not_after)
    if row.not_after <= row.not_before:
        raise InvalidInput("lifecycle.import.validity", _("The validity ends before it starts."))
    status = STATUSES.get(fold(raw.get("status")))
    if status is None:
        raise InvalidInput("lifecycle.import.status", _("The status is 'hoạt động' or 'thu hồi'."))
    row.status = status
    if status == CertStatus.REVOKED:
        reason = fold(raw.get("reason")).replace("đ", "dd")
        reason = {"d": "d", "dd": "dd"}.get(reason, reason[:1])
        if reason not in RevocationReason.values:
            raise InvalidInput("lifecycle.import.reason", _("A revoked certificate needs its reason (a, b, c, d, đ, e)."))
        row.reason = reason
    row.device = str(raw.get("device") or "").strip().upper()
    row.mobile_sim = fold(raw.get("mobile_sim")) in TRUE
    return row


def check(user, register_name: str, register: bytes, uploads: list[tuple[str, bytes]]) -> tuple[list[Row], Report]:
    table = read_table(register_name, register, ALIASES, REQUIRED)
    files = unpack_files(uploads)
    units = {u.code: u for u in Unit.objects.select_related("level", "parent")}
    rows, report, seen, devices = [], Report(), set(), {}
    for number, raw in table.rows:
        try:
            row = _parse_row(user, number, raw, files, units)
            key = (row.issuer, row.serial)
            if key in seen or Certificate.objects.filter(issuer=row.issuer, serial=row.serial).exists():
                raise InvalidInput("lifecycle.import.duplicate", _("Certificate %(serial)s is already recorded."),
                                   serial=row.serial)
            seen.add(key)
            if row.device:
                holder = devices.setdefault(row.device, (row.kind, row.person, row.unit))
                existing = KeyDevice.objects.filter(serial=row.device).first()
                if holder != (row.kind, row.person, row.unit) or (existing and existing.state != DeviceState.IN_STOCK
                                                                  and existing.holder_id and not _same_holder(existing, row)):
                    raise InvalidInput("lifecycle.import.device_taken",
                                       _("Device %(serial)s is held by another subscriber."), serial=row.device)
            rows.append(row)
        except KysoError as exc:
            report.rejected.append((number, exc.code, str(exc.message)))
    if not rows and not report.rejected:
        raise InvalidInput("import.empty", _("The file is empty."))
    return rows, report


def _same_holder(device: KeyDevice, row: Row) -> bool:
    h = device.holder
    return h.kind == row.kind and (h.person_id == (row.person.pk if row.person else None)) and \
        (row.person is not None or h.unit_id == row.unit.pk)


def import_register(user, register_name: str, register: bytes, uploads: list[tuple[str, bytes]] = ()) -> Report:
    """Check every row, then record them all in one step; any bad row → `Rejected` and nothing is written."""
    def body(attempt):
        rows, report = check(user, register_name, register, list(uploads))
        if report.rejected:
            raise Rejected(report)
        now = timezone.now()
        for row in rows:
            sub = subscriber_for(row.kind, row.person, row.unit)
            device = None
            if row.device:
                device = KeyDevice.objects.filter(serial=row.device).first()
                if device is None:
                    device = KeyDevice.objects.create(serial=row.device, unit=sub.managing_unit, model="USB token")
                if device.state == DeviceState.IN_STOCK:
                    devices.move(device, DeviceState.ISSUED, by=user, holder=sub, unit=sub.managing_unit,
                                 note="Ghi nhận thiết bị đã cấp trước khi dùng Kyso (công văn 26/CNTT-HTA)")
            status = CertStatus.EXPIRED if row.status == CertStatus.ACTIVE and row.not_after <= now else row.status
            Certificate.objects.create(
                serial=row.serial, issuer=row.issuer, subject=row.subject, not_before=row.not_before,
                not_after=row.not_after, status=status, kind=row.kind, subscriber=sub, device=device,
                source=Source.IMPORTED, mobile_sim=row.mobile_sim, der=row.der,
                effective_at=row.not_before, revoked_at=now if status == CertStatus.REVOKED else None,
                revocation_reason=row.reason)
            report.imported += 1
        return report

    # Each row is checked against the importer's scope (a row outside it is rejected like any bad row).
    return steps.run(IMPORT, body, actor=user)


def start_import(user, register_name: str, register: bytes, uploads: list[tuple[str, bytes]] = ()) -> Job:
    """The page and the API: who may import anywhere, and the files' limits, checked at once; the register and its
    files kept and the import submitted as a job (never run in the request). The job's result is the report."""
    if not scope.has_permission_anywhere(user, LC_IMPORT):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
    return submit_files(KIND, [(register_name, register), *uploads], user=user)


def run_job(job: Job, item) -> dict:
    """The job's one item: `import_register` as its submitter — every row inside his scope, all rows or none."""
    (name, data), *uploads = files_of(job)
    try:
        report = import_register(job.created_by, name, data, uploads)
    except Rejected as exc:
        return {"applied": False, **exc.report.as_dict()}
    return {"applied": True, **report.as_dict()}
