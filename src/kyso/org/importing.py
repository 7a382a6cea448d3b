"""Import of the unit tree and of staff from CSV/XLSX: all rows or none.

Every row is checked first; if any is rejected the report lists each one (row number,
column, code, reason) and nothing is written. Rows that pass are written in one
transaction, so a failure half-way leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kyso.core import authz as scope
from kyso.core import steps
from kyso.core.errors import KysoError
from kyso.core.tables import headings, read_table, truthy

from . import contacts, services
from . import permissions as perms
from .models import IdType, Person, Unit, UnitFunction, UnitLevel

UNIT_COLUMNS = {
    "code": ["Mã đơn vị", "ma dv", "unit code"],
    "name": ["Tên đơn vị", "ten don vi", "unit name"],
    "level": ["Cấp", "cấp đơn vị", "level code"],
    "parent_code": ["Mã đơn vị cấp trên", "mã đơn vị cha", "đơn vị cấp trên", "parent", "ma don vi cap tren"],
    "short_name": ["Tên viết tắt"],
    "function": ["Chức năng", "loại đơn vị"],
    "has_own_seal": ["Có con dấu riêng", "con dấu riêng", "seal", "has seal"],
    "address": ["Địa chỉ"],
    "email_domain": ["Tên miền thư điện tử", "miền thư điện tử", "tên miền email", "domain"],
    "phone": ["Điện thoại"],
    "gov_code": ["Mã định danh điện tử", "mã định danh"],
    "province_name": ["Tỉnh/thành phố", "tỉnh", "province"],
}
STAFF_COLUMNS = {
    "full_name": ["Họ và tên", "họ tên", "name"],
    "gender": ["Giới tính", "sex"],
    "birth_date": ["Ngày sinh", "date of birth"],
    "birth_place": ["Nơi sinh", "place of birth"],
    "id_type": ["Loại giấy tờ", "loại giấy tờ tùy thân"],
    "id_number": ["Số CCCD/CMND/hộ chiếu", "số cccd", "số cmnd", "số giấy tờ", "số định danh", "id"],
    "id_issue_date": ["Ngày cấp", "issue date"],
    "id_issue_place": ["Nơi cấp", "issue place"],
    "residence": ["Địa chỉ thường trú", "thường trú"],
    "title": ["Chức danh", "chức vụ"],
    "unit_code": ["Mã đơn vị", "đơn vị", "unit"],
    "email": ["Thư điện tử công vụ", "thư điện tử", "email công vụ", "e-mail", "địa chỉ thư điện tử"],
    "phone_mobile": ["Điện thoại di động", "di động", "mobile"],
    "phone_office": ["Điện thoại cơ quan", "điện thoại"],
    "phone_home": ["Điện thoại nhà riêng", "điện thoại nr"],
    "fax": ["Số fax"],
    "nationality": ["Quốc tịch"],
}
UNIT_REQUIRED = ["code", "name", "level"]
STAFF_REQUIRED = ["full_name", "gender", "birth_date", "id_number", "id_issue_date", "unit_code", "email"]


def columns_in_words() -> list[tuple]:
    """The columns of each file by the headings people write, for the import page."""
    return [(label, {"required": headings(columns, required),
                     "optional": headings(columns, [k for k in columns if k not in required])})
            for label, columns, required in ((_("Units"), UNIT_COLUMNS, UNIT_REQUIRED),
                                             (_("Staff"), STAFF_COLUMNS, STAFF_REQUIRED))]


@dataclass
class RowNote:
    """A refused row, or a note on a written one: row, column, stable code and reason."""

    row: int
    column: str
    code: str
    message: str
    heading: str = ""       # the column as the file's first row names it (what a person reads)

    def as_dict(self):
        return {"row": self.row, "column": self.column, "heading": self.heading or self.column, "code": self.code,
                "message": str(self.message)}


@dataclass
class ImportReport:
    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    rejected: list[RowNote] = field(default_factory=list)
    applied: bool = False
    # rows whose e-mail or mobile phone change waits for confirmation (sensitive: one-time codes go there)
    pending: list[dict] = field(default_factory=list)
    # existing people whose e-mail or mobile phone cell was blank or missing: the stored channel kept
    kept: list[RowNote] = field(default_factory=list)
    waiting: list[RowNote] = field(default_factory=list)      # the same pending changes, in words for the job page
    columns: dict = field(default_factory=dict, repr=False)     # key → headings people write (the first shown)

    def reject(self, row: int, column: str, code: str, message) -> None:
        self.rejected.append(self._note(row, column, code, message))

    def keep(self, row: int, column: str, code: str, message) -> None:
        self.kept.append(self._note(row, column, code, message))

    def wait(self, row: int, column: str, code: str, message) -> None:
        self.waiting.append(self._note(row, column, code, message))

    def _note(self, row: int, column: str, code: str, message) -> RowNote:
        return RowNote(row, column, code, str(message), (self.columns.get(column) or [column])[0])

    def as_dict(self):
        return {"kind": self.kind, "total": self.total, "created": self.created, "updated": self.updated,
                "applied": self.applied, "rejected": [r.as_dict() for r in self.rejected],
                "pending_confirmation": self.pending, "contacts_kept": [r.as_dict() for r in self.kept],
                "notes": [r.as_dict() for r in sorted(self.kept + self.waiting, key=lambda n: n.row)]}


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _begin(kind: str, columns: dict, required: list, perm, filename: str, data: bytes, actor):
    """The report and the file's rows: the actor's permission checked first (each row's unit later), then the
    file read."""
    report = ImportReport(kind, columns=columns)
    if actor is not None:
        scope.require(actor, perm)
    table = read_table(filename, data, columns, required=required)
    report.total = len(table.rows)
    return report, table


# ----------------------------------------------------------------------------- units


def import_units(filename: str, data: bytes, *, actor=None, dry_run: bool = False) -> ImportReport:
    report, table = _begin("units", UNIT_COLUMNS, UNIT_REQUIRED, perms.ORG_MANAGE_UNIT, filename, data, actor)
    levels = {lv.code: lv for lv in UnitLevel.objects.all()}
    existing = {u.code: u for u in Unit.objects.all()}
    parsed: dict[str, dict] = {}
    row_of: dict[str, int] = {}
    for rownum, row in table.rows:
        code = _s(row.get("code"))
        item = {"code": code, "name": _s(row.get("name")), "short_name": _s(row.get("short_name")),
                "address": _s(row.get("address")), "email_domain": _s(row.get("email_domain")).lower(),
                "phone": _s(row.get("phone")), "gov_code": _s(row.get("gov_code")),
                "province_name": _s(row.get("province_name")), "parent_code": _s(row.get("parent_code"))}
        ok = True
        if not code:
            report.reject(rownum, "code", "org.unit.code_missing", _("The unit code is required."))
            continue
        if code in parsed:
            report.reject(rownum, "code", "import.duplicate", _("Unit code %(code)s appears twice in the file (also row %(row)s).") % {"code": code, "row": row_of[code]})
            continue
        level_code = _s(row.get("level"))
        if level_code not in levels:
            report.reject(rownum, "level", "org.level.not_found", _("No unit level with code %(code)s.") % {"code": level_code})
            ok = False
        item["level"] = levels.get(level_code)
        function = _s(row.get("function")) or UnitFunction.GENERAL
        if function not in UnitFunction.values:
            report.reject(rownum, "function", "org.unit.function", _("Unknown unit function."))
            ok = False
        item["function"] = function
        seal = truthy(row.get("has_own_seal"))
        if seal is None:
            report.reject(rownum, "has_own_seal", "import.boolean", _("Write 'có' or 'không'."))
            ok = False
        item["has_own_seal"] = bool(seal)
        probe = Unit(code=code, name=item["name"], function=function, email_domain=item["email_domain"])
        for column, (ecode, msg) in services._unit_errors(probe).items():
            report.reject(rownum, column, ecode, msg)
            ok = False
        parsed[code] = item
        row_of[code] = rownum
        if not ok:
            parsed[code]["_bad"] = True
    # parents: in the file or already in the database, and no cycles
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str, trail: list[str]) -> bool:
        if state.get(code) == 2:
            return True
        if state.get(code) == 1:
            report.reject(row_of[code], "parent_code", "org.unit.cycle", _("The parent chain loops back to this unit."))
            return False
        state[code] = 1
        parent = parsed[code]["parent_code"]
        good = True
        if parent:
            if parent in parsed:
                good = visit(parent, trail + [code])
            elif parent not in existing:
                report.reject(row_of[code], "parent_code", "org.unit.parent_not_found",
                              _("Parent unit %(code)s is neither in the file nor in Kyso.") % {"code": parent})
                good = False
            if good and actor is not None:
                anchor = existing.get(parent)
                if anchor is not None and not scope.can(actor, perms.ORG_MANAGE_UNIT, anchor):
                    report.reject(row_of[code], "parent_code", "forbidden", _("You are not allowed to do this for this unit."))
                    good = False
        elif actor is not None and not scope.has_role(actor, perms.Role.SYSADMIN):
            report.reject(row_of[code], "parent_code", "forbidden", _("Only a system administrator can create a top-level unit."))
            good = False
        if code in existing and actor is not None and not scope.can(actor, perms.ORG_MANAGE_UNIT, existing[code]):
            report.reject(row_of[code], "code", "forbidden", _("You are not allowed to do this for this unit."))
            good = False
        state[code] = 2
        order.append(code)
        return good

    for code in list(parsed):
        visit(code, [])

    def write():
        saved: dict[str, Unit] = dict(existing)
        for code in order:
            item = parsed[code]
            unit = existing.get(code) or Unit(code=code)
            is_new = unit.pk is None
            unit.name, unit.level = item["name"], item["level"]
            unit.parent = saved.get(item["parent_code"]) if item["parent_code"] else None
            for f in ("short_name", "address", "email_domain", "phone", "gov_code", "province_name", "function", "has_own_seal"):
                setattr(unit, f, item[f])
            unit.save()
            saved[code] = unit
            report.created += is_new
            report.updated += not is_new

    return _write_all(report, "org.unit.import", write, dry_run)


def _write_all(report: ImportReport, action: str, write, dry_run: bool) -> ImportReport:
    """All rows or none: nothing written when a row is refused or on a dry run (the refusals in order of row and
    column); else `write()` in one transaction named `action`, and an error there refuses the whole file."""
    if report.rejected or dry_run:
        report.rejected.sort(key=lambda r: (r.row, r.column))
        return report
    try:
        with transaction.atomic(), steps.audit_action(action):
            write()
    except KysoError as exc:
        report.created = report.updated = 0
        report.reject(0, "", exc.code, exc.message)
        return report
    report.applied = True
    return report


# ----------------------------------------------------------------------------- staff


def import_staff(filename: str, data: bytes, *, actor=None, dry_run: bool = False) -> ImportReport:
    report, table = _begin("staff", STAFF_COLUMNS, STAFF_REQUIRED, perms.ORG_IMPORT, filename, data, actor)
    units = {u.code: u for u in Unit.objects.all()}
    seen_ids: dict[tuple, int] = {}
    seen_emails: dict[str, int] = {}
    plan: list[tuple[Person, bool]] = []
    for rownum, row in table.rows:
        bad = False
        data_row = {k: _s(row.get(k)) for k in STAFF_COLUMNS if k not in ("birth_date", "id_issue_date")}
        gender = services.GENDER_WORDS.get(data_row["gender"].lower())
        if gender is None:
            report.reject(rownum, "gender", "org.gender", _("Gender must be male or female."))
            bad = True
        id_type_text = data_row.get("id_type", "").lower()
        id_number = data_row["id_number"].replace(" ", "").upper()
        if id_type_text:
            id_type = services.ID_TYPE_WORDS.get(id_type_text)
        else:  # infer from the number
            id_type = IdType.CCCD if len(id_number) == 12 and id_number.isdigit() else (
                IdType.CMND if len(id_number) == 9 and id_number.isdigit() else IdType.PASSPORT)
        if id_type is None:
            report.reject(rownum, "id_type", "org.id.type", _("The identity document must be CCCD, CMND or passport."))
            bad = True
        dates = {}
        for col in ("birth_date", "id_issue_date"):
            try:
                dates[col] = services.parse_date(row.get(col))
            except ValueError:
                report.reject(rownum, col, "import.date", _("Not a date (use dd/mm/yyyy)."))
                bad = True
                dates[col] = None
        unit = units.get(data_row["unit_code"])
        if unit is None:
            report.reject(rownum, "unit_code", "org.unit.not_found", _("No unit with code %(code)s.") % {"code": data_row["unit_code"]})
            bad = True
        elif actor is not None and not scope.can(actor, perms.ORG_IMPORT, unit):
            report.reject(rownum, "unit_code", "forbidden", _("You are not allowed to do this for this unit."))
            bad = True
        if bad:
            continue
        person = Person.objects.filter(id_type=id_type, id_number=id_number).select_related("unit").first() or Person()
        is_new = person.pk is None
        if not is_new and actor is not None and not scope.can(actor, perms.ORG_IMPORT, person.unit):
            # Matching by CCCD must never reach people outside the importer's subtree (issue 16, finding 1).
            report.reject(rownum, "id_number", "org.import.person_out_of_scope",
                          _("The identity number belongs to a person of a unit outside your scope: "
                            "only that unit or a unit above it may change this record."))
            continue
        fields = {**data_row, "gender": gender, "id_type": id_type, "id_number": id_number,
                  "birth_date": dates["birth_date"], "id_issue_date": dates["id_issue_date"],
                  "unit": unit, "nationality": data_row.get("nationality") or "Việt Nam"}
        kept = [] if is_new else _keep_blank_contacts(person, fields)
        sensitive = {}
        if not is_new and actor is not None:
            sensitive = {f: fields.pop(f) for f in contacts.SENSITIVE
                         if fields.get(f) and fields[f].strip().lower() != (getattr(person, f) or "").lower()}
        services._apply_person(person, fields)
        for column, (ecode, msg) in person.validation_errors().items():
            report.reject(rownum, column, ecode, msg)
            bad = True
        key = (id_type, id_number)
        if key in seen_ids:
            report.reject(rownum, "id_number", "import.duplicate", _("This identity number appears twice in the file (also row %(row)s).") % {"row": seen_ids[key]})
            bad = True
        email = (person.email or "").lower()
        if email in seen_emails:
            report.reject(rownum, "email", "import.duplicate", _("This e-mail appears twice in the file (also row %(row)s).") % {"row": seen_emails[email]})
            bad = True
        elif Person.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
            report.reject(rownum, "email", "org.person.email_taken", _("E-mail %(email)s is already in use.") % {"email": email})
            bad = True
        seen_ids.setdefault(key, rownum)
        seen_emails.setdefault(email, rownum)
        for f, value in sensitive.items():
            try:
                contacts.check_value(person, f, value)
            except KysoError as exc:
                report.reject(rownum, f, exc.code, exc.message)
                bad = True
        if not bad:
            plan.append((person, is_new, sensitive))
            if sensitive:
                report.pending.append({"row": rownum, "fields": sorted(sensitive)})
                for f in sorted(sensitive):
                    report.wait(rownum, f, "org.import.contact_pending",
                                _("The new %(what)s is not written yet: it waits for the code sent to the person's "
                                  "current one, or for a second officer's approval.")
                                % {"what": contacts.FIELD_LABELS[f]})
            for f in kept:
                report.keep(rownum, f, "org.import.contact_kept",
                            _("No %(what)s given: the stored one is kept (an import never clears it; a new one "
                              "waits for the person's code or a second officer).") % {
                                "what": contacts.FIELD_LABELS[f]})

    def write():
        for person, is_new, sensitive in plan:
            person.save()
            report.created += is_new
            report.updated += not is_new
            for f, value in sensitive.items():
                contacts.request_change(person, f, value, actor=actor)

    return _write_all(report, "org.person.import", write, dry_run)


def _keep_blank_contacts(person: Person, fields: dict) -> list[str]:
    """A blank or missing e-mail or mobile-phone cell of an existing person means "not given", never "erase the
    channel of his one-time codes" (the person page and the API refuse that too): the field is dropped from
    `fields`, so the stored value stays. Answers the fields whose stored value was so kept, for the report."""
    kept = []
    for f in contacts.SENSITIVE:
        if not fields.get(f):
            fields.pop(f, None)
            if getattr(person, f):
                kept.append(f)
    return kept


# ----------------------------------------------------------------------------- as a background job

KINDS = {"staff": "org.import.staff", "units": "org.import.units"}
_submit: list = []   # plugged in from above by kyso.jobs (org may not import it): submits a job, returns its dict


def plug_background(submit) -> None:
    """`submit(kind, filename, data, *, actor, dry_run)` puts the import in a job and returns the job as the API
    shows it (`id`, `url`, `page`…). Plugged in by `kyso.jobs` at start-up."""
    _submit[:] = [submit]


def start(kind: str, filename: str, data: bytes, *, actor, dry_run: bool = False) -> dict:
    """The page and the API: the permission checked at once, then the import handed to a job — never run in the
    request; the job's result is the report (every refused row; nothing written if one is refused)."""
    if actor is not None:
        scope.require(actor, perms.ORG_MANAGE_UNIT if kind == "units" else perms.ORG_IMPORT)
    return _submit[0](KINDS[kind], filename, data, actor=actor, dry_run=dry_run)


def run(kind: str, filename: str, data: bytes, *, actor, dry_run: bool = False) -> dict:
    """The job's work: the import as its submitter (only inside his subtree: issue 16, finding 1), all rows or none."""
    func = import_units if kind == KINDS["units"] else import_staff
    return func(filename, data, actor=actor, dry_run=dry_run).as_dict()
