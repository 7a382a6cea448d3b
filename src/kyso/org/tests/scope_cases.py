"""Org endpoints in the role × endpoint × scope table."""

import datetime as dt
import io

from kyso.core.scope_table import Endpoint
from kyso.jobs.models import Job
from kyso.jobs.worker import drain


STAFF_HEADER = ("Họ và tên,Giới tính,Ngày sinh,Nơi sinh,Số CCCD,Ngày cấp,Nơi cấp,Chức danh,Mã đơn vị,Thư điện tử,"
                "Di động\n")


def _passed(t, data):
    """The import is a job (202): run it; did every row pass?"""
    drain()
    result = Job.objects.get(pk=data["id"]).result
    return bool(result) and not result["rejected"]


def _csv(text):
    f = io.BytesIO(text.encode())
    f.name = "nhap.csv"
    return f


def _person_listed(t, data):
    return any(p["id"] == t.person.pk for p in data["results"])


def _unit_listed(t, data):
    return any(u["code"] == t.unit.code for u in data["results"])


def _contact_change(t):
    from kyso.org import contacts

    t.extra["change"] = contacts.request_change(t.person, "phone_mobile", "0987111222", actor=None).pk


def _duty_exception(t):
    import datetime as dt

    from kyso.accounts.models import User
    from kyso.org.models import DutyException

    t.extra["duty"] = DutyException.objects.create(unit=t.unit, step="a", other="b", reason="r",
                                                   valid_until=dt.date.today(),
                                                   set_by=User.objects.get(username="cntt")).pk


def _duty_listed(t, data):
    return any(d["id"] == t.extra["duty"] for d in data["results"])


def _change_listed(t, data):
    return any(c["id"] == t.extra["change"] for c in data["results"])


ENDPOINTS = [
    Endpoint("units.list", "GET", lambda t: "/api/v1/units/?page_size=500", listed=_unit_listed),
    Endpoint("units.detail", "GET", lambda t: f"/api/v1/units/{t.unit.code}/"),
    Endpoint("units.update", "PATCH", lambda t: f"/api/v1/units/{t.unit.code}/", body={"phone": "02439999999"}),
    Endpoint("units.create", "POST", lambda t: "/api/v1/units/",
             body=lambda t: {"code": f"{t.unit.code}.NEW", "name": "Tổ mới", "level": "department", "parent": t.unit.code}),
    Endpoint("people.list", "GET", lambda t: "/api/v1/people/?page_size=500", listed=_person_listed),
    Endpoint("people.detail", "GET", lambda t: f"/api/v1/people/{t.person.pk}/"),
    Endpoint("people.update", "PATCH", lambda t: f"/api/v1/people/{t.person.pk}/", body={"phone_office": "02438888888"}),
    Endpoint("people.create", "POST", lambda t: "/api/v1/people/", body=lambda t: {
        "full_name": "Trần Văn Mới", "gender": "male", "birth_date": "1990-05-05", "birth_place": "Hà Nội",
        "id_type": "cccd", "id_number": "001090123456", "id_issue_date": "2021-06-01",
        "id_issue_place": "Cục Cảnh sát QLHC về TTXH", "unit": t.unit.code, "email": "tvmoi@hanoi.vss.gov.vn"}),
    Endpoint("contacts.list", "GET", lambda t: "/api/v1/contact-changes/?page_size=500", listed=_change_listed,
             prepare=_contact_change),
    Endpoint("duty.list", "GET", lambda t: "/api/v1/duty-exceptions/?page_size=500", listed=_duty_listed,
             prepare=_duty_exception),
    Endpoint("contacts.approve", "POST", lambda t: f"/api/v1/contact-changes/{t.extra['change']}/approve/",
             prepare=_contact_change),
    Endpoint("units.replace", "PUT", lambda t: f"/api/v1/units/{t.unit.code}/", body={"phone": "02439999998"}),
    Endpoint("people.replace", "PUT", lambda t: f"/api/v1/people/{t.person.pk}/", body={"phone_office": "02438888887"}),
    Endpoint("units.children", "GET", lambda t: f"/api/v1/units/{t.unit.code}/children/"),
    Endpoint("contacts.detail", "GET", lambda t: f"/api/v1/contact-changes/{t.extra['change']}/",
             prepare=_contact_change),
    Endpoint("contacts.create", "POST", lambda t: "/api/v1/contact-changes/",
             body=lambda t: {"person": t.person.pk, "field": "phone_mobile", "new_value": "0987111333"}),
    Endpoint("contacts.cancel", "POST", lambda t: f"/api/v1/contact-changes/{t.extra['change']}/cancel/",
             prepare=_contact_change),
    Endpoint("contacts.confirm", "POST", lambda t: f"/api/v1/contact-changes/{t.extra['change']}/confirm/",
             body={"code": "000000"}, prepare=_contact_change),
    Endpoint("duty.detail", "GET", lambda t: f"/api/v1/duty-exceptions/{t.extra['duty']}/", prepare=_duty_exception),
    Endpoint("duty.create", "POST", lambda t: "/api/v1/duty-exceptions/", body=lambda t: {
        "unit": t.unit.code, "step": "lifecycle.request.file", "other": "lifecycle.request.confirm",
        "reason": "Một cán bộ", "valid_until": (dt.date.today() + dt.timedelta(days=30)).isoformat()}),
    Endpoint("duty.end", "POST", lambda t: f"/api/v1/duty-exceptions/{t.extra['duty']}/end/", prepare=_duty_exception),
    # the imports are jobs (202): L = the file passed every check (dry run), U = a row was refused (outside scope)
    Endpoint("imports.staff", "POST", lambda t: "/api/v1/imports/staff/?dry_run=1", format="multipart", listed=_passed,
             body=lambda t: {"file": _csv(STAFF_HEADER + f"Trần Văn Nhập,Nam,01/01/1990,Hà Nội,001090777777,01/05/2021,"
                                                         f"Cục CS QLHC,Chuyên viên,{t.unit.code},tvnhap@vss.gov.vn,"
                                                         "0912777777\n")}),
    Endpoint("imports.units", "POST", lambda t: "/api/v1/imports/units/?dry_run=1", format="multipart", listed=_passed,
             body=lambda t: {"file": _csv(f"Mã đơn vị,Tên đơn vị,Cấp,Đơn vị cấp trên\n{t.unit.code}.X,Tổ nhập,department,"
                                          f"{t.unit.code}\n")}),
]

# The sysadmin manages units; unit officers manage people in their subtree; the subscriber
# sees no staff list (only his own record, through /me); the one-stop officer sees units only.
EXPECT = """
endpoint       admin   cntt    lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
units.list     L/-     L/-     L/-     L/U     L/U     L/U       403/403 L/U       L/-
units.detail   200/-   200/-   200/-   200/404 200/404 200/404   403/403 200/404   200/-
units.update   200/-   403/-   403/-   403/403 403/403 403/403   403/403 403/403   403/-
units.create   201/-   403/-   403/-   403/403 403/403 403/403   403/403 403/403   403/-
people.list    L/-     L/-     L/-     L/U     L/U     L/U       403/403 403/403   L/-
people.detail  200/-   200/-   200/-   200/404 200/404 200/404   403/403 403/403   200/-
people.update  200/-   200/-   403/-   200/404 200/404 403/403   403/403 403/403   403/-
people.create  201/-   201/-   403/-   201/403 201/403 403/403   403/403 403/403   403/-
contacts.list  L/-     L/-     U/-     L/U     L/U     U/U       U/U     U/U       U/-
duty.list      L/-     L/-     403/-   403/403 403/403 403/403   403/403 403/403   403/-
contacts.approve 200/- 200/-   404/-   200/404 200/404 404/404   404/404 404/404   404/-
# A contact change is the person's unit's business; a wrong code is refused (403); the IT Center sets the four-eyes
# exceptions; a staff import naming a unit outside the importer's subtree is refused whole (400, finding 1).
units.children   units.detail
contacts.detail  contacts.approve
contacts.create  201/-   201/-   404/-   201/404 201/404 404/404 404/404 404/404 404/-
contacts.cancel  contacts.approve
contacts.confirm 403/-   403/-   404/-   403/404 403/404 404/404 404/404 404/404 404/-
duty.detail      it_center
duty.create      it_center_creates
duty.end         it_center
imports.staff    L/-     403/-   403/-   L/U     L/U     403/403 403/403 403/403 403/-
imports.units    L/-     403/-   403/-   403/403 403/403 403/403 403/403 403/403 403/-
# PUT as PATCH.
units.replace  units.update
people.replace people.update
"""
