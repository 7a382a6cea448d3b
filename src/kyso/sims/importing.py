"""Import of SIM PKI lines from the carrier's or the unit's list (CSV/XLSX): all rows or none.

Each row goes through `services.register` — the same checks as the form — inside one transaction; if any row is
refused the report lists every refusal (row, column, code, reason) and the transaction is rolled back.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kyso.accounts import scope
from kyso.core.errors import Forbidden, InvalidInput, KysoError
from kyso.core.tables import headings, read_table
from kyso.jobs.models import Job
from kyso.jobs.uploads import files_of, submit_files
from kyso.org.importing import ImportReport, _s
from kyso.org.models import Person, Unit

from . import services
from .models import DataPlan
from .permissions import SIMS_MANAGE

# Each column by the heading people write in their file (the first name, shown on the import page), then the other
# headings understood; the English name of the key is accepted too, for the files made before (never shown).
COLUMNS = {
    "email": ["Thư điện tử công vụ", "thư điện tử", "email công vụ", "e-mail", "email"],
    "id_number": ["Số CCCD", "số định danh", "số giấy tờ"],
    "msisdn": ["Số điện thoại", "số thuê bao", "số di động", "phone"],
    "carrier": ["Nhà mạng", "nhà cung cấp"],
    "iccid": ["Số serial SIM", "serial sim", "số serial", "iccid", "sim serial"],
    "in_service_on": ["Ngày sử dụng", "ngày đưa vào sử dụng", "ngày kích hoạt", "in service"],
    "plan": ["Gói cước", "gói", "mức", "tier"],
    "unit_code": ["Mã đơn vị thanh toán", "đơn vị thanh toán", "paying unit"],
    "certificate": ["Số hiệu chứng thư số", "số serial chứng thư", "chứng thư số", "certificate serial"],
    "data_fee": ["Cước dữ liệu", "data fee"],
    "line_fee": ["Cước thuê bao", "line fee"],
    "connection_fee": ["Cước hòa mạng", "connection fee"],
    "contract": ["Số hợp đồng", "hợp đồng"],
    "note": ["Ghi chú"],
}
REQUIRED = ["msisdn", "carrier", "iccid", "in_service_on"]      # and the holder: his e-mail or his CCCD number
HOLDER = ["email", "id_number"]


def columns_in_words() -> dict:
    """The columns by the headings people write, for the import page."""
    return {"holder": headings(COLUMNS, HOLDER), "required": headings(COLUMNS, REQUIRED),
            "optional": headings(COLUMNS, [k for k in COLUMNS if k not in REQUIRED + HOLDER])}
MAX_ROWS = 10_000  # the agency's leaders with a tablet number in the low thousands
FIELD_COLUMN = {"person": "email", "unit": "unit_code", "data_fee": "data_fee", "line_fee": "line_fee",
                "connection_fee": "connection_fee"}


KIND = "sims.import"


class _Rollback(Exception):
    pass


def _people(rows) -> tuple[dict, dict]:
    """The holders named in the file, fetched in chunks rather than one query per row."""
    emails = sorted({_s(r.get("email")).lower() for _n, r in rows} - {""})
    ids = sorted({_s(r.get("id_number")).replace(" ", "") for _n, r in rows} - {""})
    by_email, by_id = {}, {}
    qs = Person.objects.select_related("unit__level", "unit__parent")
    for i in range(0, len(emails), 500):
        by_email.update({p.email.lower(): p for p in qs.annotate(email_lower=Lower("email"))
                         .filter(email_lower__in=emails[i:i + 500])})
    for i in range(0, len(ids), 500):
        by_id.update({p.id_number: p for p in qs.filter(id_number__in=ids[i:i + 500])})
    return by_email, by_id


def _person(row: dict, people: tuple[dict, dict]) -> Person | None:
    email, id_number = _s(row.get("email")).lower(), _s(row.get("id_number")).replace(" ", "")
    if email:
        return people[0].get(email)
    return people[1].get(id_number) if id_number else None


def import_subscriptions(filename: str, data: bytes, *, actor, dry_run: bool = False) -> ImportReport:
    if not scope.has_permission_anywhere(actor, SIMS_MANAGE):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
    table = read_table(filename, data, COLUMNS, required=REQUIRED)
    if len(table.rows) > MAX_ROWS:
        raise InvalidInput("import.too_many_rows", _("Too many rows (at most %(max)s)."), max=MAX_ROWS)
    report = ImportReport("sims", total=len(table.rows), columns=COLUMNS)
    plans = {str(p.tier): p for p in DataPlan.objects.all()}
    units = {}
    people = _people(table.rows)
    try:
        with transaction.atomic():
            for rownum, row in table.rows:
                person = _person(row, people)
                if person is None:
                    report.reject(rownum, "email", "sims.person.not_found",
                                  _("No staff member with this e-mail or identity number."))
                    continue
                plan = None
                if _s(row.get("plan")):
                    plan = plans.get(_s(row.get("plan")).strip(". "))
                    if plan is None:
                        report.reject(rownum, "plan", "sims.plan.not_found", _("The plan must be 1, 2, 3 or 4."))
                        continue
                unit = None
                code = _s(row.get("unit_code"))
                if code:
                    unit = units.get(code) or Unit.objects.filter(code=code).first()
                    if unit is None:
                        report.reject(rownum, "unit_code", "org.unit.not_found",
                                      _("No unit with code %(code)s.") % {"code": code})
                        continue
                    units[code] = unit
                try:
                    with transaction.atomic():
                        services.register(actor, person=person, msisdn=_s(row.get("msisdn")),
                                          carrier=_s(row.get("carrier")), iccid=_s(row.get("iccid")),
                                          in_service_on=row.get("in_service_on"), plan=plan, unit=unit,
                                          certificate=_s(row.get("certificate")), data_fee=_s(row.get("data_fee")),
                                          line_fee=_s(row.get("line_fee")),
                                          connection_fee=_s(row.get("connection_fee")),
                                          contract=_s(row.get("contract")), note=_s(row.get("note")))
                except KysoError as exc:
                    if exc.fields:
                        for name, (code_, message) in exc.fields.items():
                            report.reject(rownum, FIELD_COLUMN.get(name, name), code_, message)
                    else:
                        report.reject(rownum, "", exc.code, exc.message)
                    continue
                report.created += 1
            if report.rejected or dry_run:
                raise _Rollback
    except _Rollback:
        if report.rejected:
            report.created = 0
        report.rejected.sort(key=lambda r: (r.row, r.column))
        return report
    report.applied = True
    return report


def start_import(filename: str, data: bytes, *, actor, dry_run: bool = False) -> Job:
    """The page and the API: the permission checked at once, the file kept, the import submitted as a job (never
    run in the request); the job's result is the report (every refused row; nothing written if one is refused)."""
    if not scope.has_permission_anywhere(actor, SIMS_MANAGE):
        raise Forbidden("forbidden", _("You are not allowed to do this for this unit."))
    return submit_files(KIND, [(filename, data)], user=actor, params={"dry_run": bool(dry_run)})


def run_job(job: Job, item) -> dict:
    """The job's one item: the import as its submitter, all rows or none, in the chunk's transaction."""
    (filename, data), = files_of(job)
    return import_subscriptions(filename, data, actor=job.created_by, dry_run=job.params.get("dry_run", False)).as_dict()
