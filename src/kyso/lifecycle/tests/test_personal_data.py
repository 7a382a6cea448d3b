"""Issue 16, finding 4: a subscriber sees and files only his own Form 01 — through the API and the pages —
and cannot edit his request into another person's identity; personal data (identity number, birth date,
residence, mobile phone) is shown only to the subscriber, his managing unit, the IT Center and the leader
approving, and every read of it is in the audit trail — one record per request, not per field."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from kyso.audit.models import AuditRecord
from kyso.lifecycle.models import IssuanceRequest, RequestState

from .factories import in_state

pytestmark = pytest.mark.django_db
URL = "/api/v1/lifecycle/requests/"


def reads(req_id=None) -> int:
    qs = AuditRecord.objects.filter(action="lifecycle.personal_data.read")
    return qs.filter(object_id=str(req_id)).count() if req_id else qs.count()


def page(demo, username):
    c = Client(HTTP_ACCEPT_LANGUAGE="vi")
    c.force_login(demo.user(username))
    return c


@pytest.fixture
def two(api, demo):
    """thuebao's own request, and his colleague's (the district director's), both at Ba Đình."""
    own = api("thuebao").post(URL, {"kind": "person", "person": demo.user("thuebao").person.pk}, format="json").json()
    colleague = demo.person("HN.BD", "Giám đốc")
    other = api("badinh").post(URL, {"kind": "person", "person": colleague.pk}, format="json").json()
    return own["id"], other["id"], colleague


def test_a_subscriber_sees_only_his_own_requests(api, demo, two):
    own, other, colleague = two
    client = api("thuebao")
    assert [r["id"] for r in client.get(URL).json()["results"]] == [own]
    assert client.get(f"{URL}{other}/").status_code == 404
    assert client.get(f"{URL}{other}/form01.pdf/").status_code == 404
    assert client.get(f"/api/v1/lifecycle/records/?subject_type=request&subject_id={other}").json()["results"] == []
    browser = page(demo, "thuebao")
    assert browser.get(f"/lifecycle/requests/{other}/").status_code == 404
    assert browser.get(f"/lifecycle/forms/01/{other}.pdf").status_code == 404
    assert colleague.id_number not in browser.get("/lifecycle/").content.decode()
    mine = client.get(f"{URL}{own}/").json()
    assert mine["id_number"] == demo.user("thuebao").person.id_number        # his own data, to him
    # the new-request page offers only himself
    form = browser.get("/lifecycle/requests/new/").content.decode()
    assert demo.user("thuebao").person.full_name in form and colleague.full_name not in form


def test_a_subscriber_cannot_edit_his_request_into_another_person(api, demo, two):
    own, _other, colleague = two
    before = IssuanceRequest.objects.get(pk=own)
    client = api("thuebao")
    for body in ({"id_number": colleague.id_number}, {"email": colleague.email}):
        r = client.post(f"{URL}{own}/edit/", body, format="json")
        assert r.status_code == 400 and r.json()["error"]["code"] == "lifecycle.request.not_the_person", r.json()
    r = client.post(f"{URL}{own}/edit/", {"full_name": colleague.full_name}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "lifecycle.request.identity"
    # not even his officer sets another person's identity number on it
    r = api("badinh").post(f"{URL}{own}/edit/", {"id_number": colleague.id_number}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "lifecycle.request.not_the_person"
    after = IssuanceRequest.objects.get(pk=own)
    assert (after.id_number, after.email, after.full_name, after.version) == \
        (before.id_number, before.email, before.full_name, before.version)
    # what is his to state, he changes
    assert client.post(f"{URL}{own}/edit/", {"title": "Chuyên viên chính"}, format="json").status_code == 200


@pytest.mark.parametrize("username,sees", [("badinh", True), ("hanoi", True), ("cntt", True), ("kiemtoan", False),
                                           ("lanhdao", False)])
def test_personal_data_only_to_whom_the_work_needs_it(api, demo, two, username, sees):
    _own, other, colleague = two
    before = reads(other)
    data = api(username).get(f"{URL}{other}/").json()
    assert (data["id_number"] == colleague.id_number) is sees
    assert (data["birth_date"] is not None) is sees and (data["phone_mobile"] is not None) is sees
    assert data["full_name"] == colleague.full_name                         # the request itself is his to see
    assert reads(other) == before + (1 if sees else 0)
    html = page(demo, username).get(f"/lifecycle/requests/{other}/").content.decode()
    assert (colleague.id_number in html) is sees
    assert reads(other) == before + (2 if sees else 0)


def test_the_leader_sees_it_for_the_requests_he_approves(api, demo, two):
    _own, other, colleague = two
    in_state(IssuanceRequest.objects.get(pk=other), RequestState.VALID)
    api("cntt").post("/api/v1/lifecycle/lists/", {"approval": True, "requests": [other]}, format="json")
    assert api("lanhdao").get(f"{URL}{other}/").json()["id_number"] == colleague.id_number


def test_one_audit_record_per_request_read_not_per_field(api, demo, two):
    before = reads()
    listed = api("cntt").get(URL).json()["results"]
    assert len(listed) == 2 and reads() == before + 2
    assert AuditRecord.objects.filter(action="lifecycle.personal_data.read").order_by("-seq").first().actor == "cntt"


def test_forms_with_personal_data(api, demo, two):
    own, other, colleague = two
    cntt, auditor = api("cntt"), api("kiemtoan")
    before = reads(other)
    assert cntt.get(f"{URL}{other}/form01.pdf/").status_code == 200 and reads(other) == before + 1
    assert auditor.get(f"{URL}{other}/form01.pdf/").status_code == 404 and reads(other) == before + 1
    # Form 02: the IT Center reads every row, the auditor gets the list without the personal columns
    for req in (own, other):
        in_state(IssuanceRequest.objects.get(pk=req), RequestState.CONFIRMED)
    lst = api("badinh").post("/api/v1/lifecycle/lists/", {"unit": "HN.BD"}, format="json").json()

    def cells(client):
        book = load_workbook(io.BytesIO(client.get(f"/api/v1/lifecycle/lists/{lst['id']}/form02.xlsx/").content))
        return " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)

    assert colleague.id_number in cells(cntt) and reads(other) == before + 2
    assert colleague.id_number not in cells(auditor) and colleague.full_name in cells(auditor)
    assert reads(other) == before + 2
