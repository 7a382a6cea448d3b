"""Form 01 rules: the seal rule, one open request and one valid certificate per subscriber and kind,
a subscriber files only his own, validity ≤ 5 years, a seal-holder attaches his copies, an edit voids
earlier confirmations and approvals, hold with a reason, four eyes on approval, steps in order, a unit
officer acts only in his scope. Each refusal leaves nothing behind."""

import pytest

from kyso.core.errors import Forbidden, InvalidState
from kyso.lifecycle import services
from kyso.lifecycle.models import IssuanceRequest, RequestState, Subscriber
from kyso.org.models import Person

from .factories import acting, certificate_for, in_state, real_pdf

URL = "/api/v1/lifecycle/requests/"


def err(resp, status, code):
    assert resp.status_code == status, resp.content.decode()[:400]
    assert resp.json()["error"]["code"] == code
    return resp.json()["error"]


@pytest.mark.django_db
def test_organisation_certificate_only_for_a_unit_with_its_own_seal(api, demo):
    before = IssuanceRequest.objects.count(), Subscriber.objects.count()
    e = err(api("hanoi").post(URL, {"kind": "organization", "unit": "HN.THU"}, format="json"), 400,
            "lifecycle.request.no_seal")
    assert "Phòng Quản lý thu" in e["message"] and "con dấu" in e["message"]
    assert (IssuanceRequest.objects.count(), Subscriber.objects.count()) == before
    ok = api("hanoi").post(URL, {"kind": "organization", "unit": "HN.VP"}, format="json")
    assert ok.status_code == 201 and ok.json()["managing_unit"] == "HN"


@pytest.mark.django_db
def test_one_open_request_and_no_second_certificate_of_the_same_kind(api, demo):
    person = demo.user("thuebao").person
    client = api("thuebao")
    assert client.post(URL, {"kind": "person", "person": person.pk}, format="json").status_code == 201
    err(client.post(URL, {"kind": "person", "person": person.pk}, format="json"), 409, "lifecycle.request.duplicate")

    other = demo.person("HN.BD", "Giám đốc")
    certificate_for("person", person=other)
    err(api("badinh").post(URL, {"kind": "person", "person": other.pk}, format="json"), 409,
        "lifecycle.request.holds_valid")
    # ... but the renewal pre-filled from the old certificate is accepted
    cert = other.subscriptions.get().certificates.get()
    renewal = api("badinh").post(f"/api/v1/lifecycle/certificates/{cert.pk}/renew/")
    assert renewal.status_code == 201
    body = renewal.json()
    assert body["old_certificate_serial"] == cert.serial and body["full_name"] == other.full_name
    assert body["id_number"] == other.id_number and body["email"] == other.email


@pytest.mark.django_db
def test_a_subscriber_files_only_his_own_request(api, demo):
    colleague = demo.person("HN.BD", "Giám đốc")
    err(api("thuebao").post(URL, {"kind": "person", "person": colleague.pk}, format="json"), 403,
        "lifecycle.request.only_own")
    err(api("thuebao").post(URL, {"kind": "organization", "unit": "HN.BD"}, format="json"), 403,
        "lifecycle.request.only_own")
    assert api("badinh").post(URL, {"kind": "person", "person": colleague.pk}, format="json").status_code == 201


@pytest.mark.django_db
def test_validity_and_seal_holder_attachments(api, demo):
    person = demo.user("thuebao").person
    e = err(api("thuebao").post(URL, {"kind": "person", "person": person.pk, "validity_years": 6}, format="json"),
            400, "lifecycle.request.validity")
    assert "validity_years" in e["fields"]
    boss = demo.person("HN.BD", "Giám đốc")
    err(api("badinh").post(URL, {"kind": "person", "person": boss.pk, "is_seal_holder": True}, format="json"), 400,
        "lifecycle.request.attachments")
    assert not IssuanceRequest.objects.filter(full_name=boss.full_name).exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = api("badinh").post(URL, {"kind": "person", "person": boss.pk, "is_seal_holder": True,
                                  "seal_registration": SimpleUploadedFile("dau.pdf", real_pdf("seal"), "application/pdf"),
                                  "title_confirmation": SimpleUploadedFile("cv.pdf", real_pdf("title"), "application/pdf")},
                            format="multipart")
    assert ok.status_code == 201, ok.content
    req = IssuanceRequest.objects.get(pk=ok.json()["id"])
    assert req.seal_registration.size == len(real_pdf("seal")) and req.title_confirmation_id


@pytest.mark.django_db
def test_an_edit_voids_earlier_confirmation_and_approval(api, demo):
    person = demo.user("thuebao").person
    r = api("thuebao").post(URL, {"kind": "person", "person": person.pk}, format="json").json()
    assert api("badinh").post(f"{URL}{r['id']}/confirm/").json()["state"] == "confirmed"
    req = in_state(IssuanceRequest.objects.get(pk=r["id"]), RequestState.IN_APPROVAL)
    edited = api("thuebao").post(f"{URL}{req.pk}/edit/", {"title": "Phó Trưởng phòng"}, format="json").json()
    assert edited["state"] == "submitted" and edited["version"] == 2 and edited["title"] == "Phó Trưởng phòng"
    req.refresh_from_db()
    assert req.confirmed_by is None and req.approved_by is None and req.approval_list is None
    # an unchanged edit changes nothing
    again = api("thuebao").post(f"{URL}{req.pk}/edit/", {"title": "Phó Trưởng phòng"}, format="json").json()
    assert again["version"] == 2


@pytest.mark.django_db
def test_hold_with_reason_keeps_colleagues_off_until_released(api, demo):
    person = demo.user("thuebao").person
    r = api("thuebao").post(URL, {"kind": "person", "person": person.pk}, format="json").json()
    held = api("badinh").post(f"{URL}{r['id']}/hold/", {"reason": "Đang xác minh chức danh"}, format="json").json()
    assert held["on_hold"] == "Đang xác minh chức danh" and held["held_by"] == "badinh"
    # a colleague (the province officer, whose scope covers Ba Đình) can neither act nor release it
    e = err(api("hanoi").post(f"{URL}{r['id']}/confirm/"), 409, "lifecycle.request.on_hold")
    assert "Đang xác minh chức danh" in e["message"] and "badinh" in e["message"]
    err(api("hanoi").post(f"{URL}{r['id']}/hold/", {"reason": ""}, format="json"), 403,
        "lifecycle.request.held_by_other")
    # the holder works on it; confirmed but still held, it is not compiled into a list
    assert api("badinh").post(f"{URL}{r['id']}/confirm/").json()["state"] == "confirmed"
    err(api("hanoi").post("/api/v1/lifecycle/lists/", {"unit": "HN.BD"}, format="json"), 409, "lifecycle.list.empty")
    released = api("badinh").post(f"{URL}{r['id']}/hold/", {"reason": ""}, format="json").json()
    assert released["on_hold"] == "" and released["held_by"] is None
    assert api("hanoi").post("/api/v1/lifecycle/lists/", {"unit": "HN.BD"}, format="json").json()["requests"] == [r["id"]]


@pytest.mark.django_db
def test_four_eyes_nobody_approves_his_own_request(api, demo):
    leader = demo.user("lanhdao")
    r = api("lanhdao").post(URL, {"kind": "person", "person": leader.person.pk}, format="json")
    # the leader has no right to file for himself? he is a subscriber at his own unit:
    assert r.status_code == 201, r.content
    req = in_state(IssuanceRequest.objects.get(pk=r.json()["id"]), RequestState.VALID)
    lst = api("cntt").post("/api/v1/lifecycle/lists/", {"approval": True, "requests": [req.pk]}, format="json").json()
    err(api("lanhdao").post(f"/api/v1/lifecycle/lists/{lst['id']}/approve/"), 403, "lifecycle.approve.four_eyes")
    assert api("admin").post(f"/api/v1/lifecycle/lists/{lst['id']}/approve/").json()["state"] == "approved"


@pytest.mark.django_db
def test_steps_out_of_order_are_refused(api, demo):
    person = demo.user("thuebao").person
    r = api("thuebao").post(URL, {"kind": "person", "person": person.pk}, format="json").json()
    for step, who in (("handover-unit", "cntt"), ("activate", "cntt"), ("handover-subscriber", "badinh")):
        err(api(who).post(f"{URL}{r['id']}/{step}/"), 409, "lifecycle.request.out_of_order")
    assert IssuanceRequest.objects.get(pk=r["id"]).state == "submitted"


@pytest.mark.django_db
def test_out_of_scope_unit_officer_cannot_confirm(demo):
    badinh = demo.user("badinh")
    hcm_person = demo.person("HCM.Q1", "Chuyên viên") or \
        Person.objects.filter(unit__path__startswith=demo.unit("HCM").path).first()
    hcm = demo.user("hcm")
    with acting(hcm):
        req = services.file_request(hcm, kind="person", person=hcm_person)
    with pytest.raises(Forbidden), acting(badinh):
        services.confirm_request(badinh, req)


@pytest.mark.django_db
def test_review_before_confirmation_is_out_of_order_and_a_hold_keeps_colleagues_off(demo):
    user = demo.user("badinh")
    person = demo.user("thuebao").person
    with acting(user):
        req = services.file_request(user, kind="person", person=person)
    with pytest.raises(InvalidState) as exc, acting(demo.user("cntt")):
        services.review(demo.user("cntt"), req, valid=True)
    assert exc.value.code == "lifecycle.request.out_of_order"
    with acting(user):
        services.hold(user, req, "Đang xác minh chức danh")
    colleague = demo.user("hanoi")          # held by badinh: his colleagues keep off (the holder may act)
    with pytest.raises(InvalidState) as exc, acting(colleague):
        services.confirm_request(colleague, req)
    assert exc.value.code == "lifecycle.request.on_hold"
