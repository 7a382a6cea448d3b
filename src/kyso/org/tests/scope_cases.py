"""Org endpoints in the role × endpoint × scope table."""

from kyso.core.scope_table import Endpoint


def _person_listed(t, data):
    return any(p["id"] == t.person.pk for p in data["results"])


def _unit_listed(t, data):
    return any(u["code"] == t.unit.code for u in data["results"])


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
"""
