"""Issue 17, item 1: every demo role's queue shows exactly the lifecycle work that waits for him, at every
step of a request pushed from a district up to the IT Center and back to activation — the queue, the
permission and the deadline read one declaration (`flows.py`). Work waits for the nearest officers (Ba
Đình's own officer, not the province above it), the IT Center's own units wait for the IT Center's
officers, and after each step the page says where the record went and who holds it now."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from kyso.core import workflow
from kyso.lifecycle import services
from kyso.lifecycle.flows import REQUEST
from kyso.lifecycle.models import IssuanceRequest, RequestList

from .factories import certificate_for

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))

ROLES = ["admin", "cntt", "lanhdao", "hanoi", "badinh", "hcm", "vanthu.hn", "vanthu.bd", "thuebao", "giamdoc.hn",
         "motcua.hn", "motcua.bd", "kiemtoan"]


def waiting(demo) -> dict[str, set]:
    """{username: {(workflow, step, record pk)}} of the lifecycle queues, for every demo role."""
    out = {}
    for username in ROLES:
        entries = [e for e in workflow.work_for(demo.user(username)) if e.workflow.name.startswith("lifecycle.")]
        out[username] = {(e.workflow.name.split(".")[1], e.transition.name, r.pk) for e in entries for r in e.records}
    return out


def only(demo, **expected):
    """Exactly these users have lifecycle work, and exactly this work."""
    got = waiting(demo)
    want = {u: set() for u in ROLES}
    for username, items in expected.items():
        want[username.replace("_", ".")] = set(items)
    assert got == want


def compiled_and_sent(demo, as_user, officer, unit_code: str, send_step: str):
    """The officer compiles his unit's list (Form 02) — it then waits for him alone, at `send_step` — and sends it."""
    with as_user(officer):
        lst = services.compile_list(officer, demo.unit(unit_code))
    only(demo, **{officer.username: {("list", send_step, lst.pk)}})
    with as_user(officer):
        services.send_list(officer, lst)
    return lst


def client(demo, username):
    c = Client(HTTP_ACCEPT_LANGUAGE="vi")
    c.force_login(demo.user(username))
    return c


def test_a_request_from_a_district_to_the_it_center_and_back(demo, as_user):
    thuebao, badinh, hanoi, cntt, leader = (demo.user(u) for u in ("thuebao", "badinh", "hanoi", "cntt", "lanhdao"))
    with as_user(thuebao):
        req = services.file_request(thuebao, kind="person", person=thuebao.person)
    only(demo, badinh={("request", "confirm", req.pk)})
    home = client(demo, "badinh").get("/").content.decode()
    assert "Đề nghị cần xác nhận (Mẫu 01)" in home and "/tasks/lifecycle.request/confirm/" in home
    assert "Đề nghị cần xác nhận" in client(demo, "badinh").get("/lifecycle/").content.decode()
    assert "Đề nghị cần xác nhận" not in client(demo, "hanoi").get("/").content.decode()

    page = client(demo, "badinh").post(f"/lifecycle/requests/{req.pk}/confirm/", follow=True).content.decode()
    assert "Hiện tại: Đơn vị quản lý thuê bao đã xác nhận — đang chờ Cán bộ đơn vị quản lý thuê bao (BHXH quận Ba " \
           "Đình): Đưa vào danh sách của đơn vị (Mẫu 02)" in page
    only(demo, badinh={("request", "list", req.pk)})

    district = compiled_and_sent(demo, as_user, badinh, "HN.BD", "send")
    only(demo, hanoi={("list", "compile_into", district.pk)})
    assert "BHXH thành phố Hà Nội" in REQUEST.where(IssuanceRequest.objects.get(pk=req.pk))

    province = compiled_and_sent(demo, as_user, hanoi, "HN", "send")
    only(demo, cntt={("list", "receive", province.pk)})
    assert "Trung tâm Công nghệ thông tin" in REQUEST.where(IssuanceRequest.objects.get(pk=req.pk))

    page = client(demo, "cntt").post(f"/lifecycle/lists/{province.pk}/", {"op": "receive"}, follow=True)
    assert "Hiện tại: Đã tiếp nhận" in page.content.decode()
    only(demo, cntt={("request", "review", req.pk)})
    review = next(e for e in workflow.work_for(cntt) if e.transition.name == "review")
    assert review.next_due is not None          # the 3 working days of Art. 4.2.3

    client(demo, "cntt").post(f"/lifecycle/requests/{req.pk}/valid/")
    only(demo, cntt={("request", "to_approval", req.pk)})
    page = client(demo, "cntt").post("/lifecycle/lists/", {"op": "compile_approval"}, follow=True).content.decode()
    assert "đang chờ Lãnh đạo phê duyệt" in page
    approval = RequestList.objects.get(is_approval_list=True)
    only(demo, lanhdao={("list", "approve", approval.pk)})
    assert "Danh sách (Mẫu 02) chờ bạn phê duyệt" in client(demo, "lanhdao").get("/lifecycle/").content.decode()

    page = client(demo, "lanhdao").post(f"/lifecycle/lists/{approval.pk}/", {"op": "approve"},
                                        follow=True).content.decode()
    assert "Hiện tại: Đã phê duyệt — đang chờ Cán bộ Trung tâm CNTT (Trung tâm Công nghệ thông tin)" in page
    only(demo, cntt={("list", "send_to_ca", approval.pk)})

    client(demo, "cntt").post(f"/lifecycle/lists/{approval.pk}/", {"op": "send_to_ca"})
    only(demo, cntt={("request", "handover_unit", req.pk)})
    client(demo, "cntt").post(f"/lifecycle/requests/{req.pk}/handover_unit/")
    only(demo, badinh={("request", "handover_subscriber", req.pk)})
    page = client(demo, "badinh").post(f"/lifecycle/requests/{req.pk}/handover_subscriber/",
                                       follow=True).content.decode()
    assert "đang chờ Cán bộ Trung tâm CNTT (Trung tâm Công nghệ thông tin): Gửi đề nghị thời điểm có hiệu lực" in page
    only(demo, cntt={("request", "activate", req.pk)})       # Form 04: the IT Center's
    with as_user(cntt):
        services.activate(cntt, IssuanceRequest.objects.get(pk=req.pk))
    only(demo)
    assert "Không còn bước nào chờ xử lý" in REQUEST.where(IssuanceRequest.objects.get(pk=req.pk))


def test_a_district_without_an_officer_waits_for_its_province(demo, as_user):
    hanoi = demo.user("hanoi")
    person = demo.person("HN.CG", "Chuyên viên")
    with as_user(hanoi):
        req = services.file_request(hanoi, kind="person", person=person)
    only(demo, hanoi={("request", "confirm", req.pk)})
    assert "(BHXH thành phố Hà Nội)" in REQUEST.where(req)


def test_the_it_centers_own_units_wait_for_the_it_centers_officers(demo, as_user):
    """Its own staff and the leadership at the agency's root: the IT Center confirms and compiles."""
    cntt, admin = demo.user("cntt"), demo.user("admin")
    colleague = admin.person                       # the IT Center's director
    with as_user(admin):
        req = services.file_request(admin, kind="person", person=colleague)
    assert req.subscriber.managing_unit.code == "VSS.CNTT"
    only(demo, cntt={("request", "confirm_itc", req.pk)})
    with as_user(cntt):
        services.confirm_request(cntt, req)
    only(demo, cntt={("request", "list_itc", req.pk)})
    own = compiled_and_sent(demo, as_user, cntt, "VSS.CNTT", "send_itc")
    only(demo, cntt={("list", "receive", own.pk)})
    with as_user(cntt):
        services.receive_list(cntt, own)
    only(demo, cntt={("request", "review", req.pk)})

    leader = demo.user("lanhdao")
    with as_user(leader):
        mine = services.file_request(leader, kind="person", person=leader.person)
    assert mine.subscriber.managing_unit.code == "VSS.CNTT"     # nobody's officer at the root: the IT Center
    assert ("request", "confirm_itc", mine.pk) in waiting(demo)["cntt"]


def test_a_revocation_from_the_subscriber_to_the_returned_device(demo, as_user, monkeypatch):
    """Form 05 (reason b, an external CA): the subscriber's unit confirms, the IT Center sends, records the CA's
    confirmation and tells the unit, the unit returns the device — each step waits for exactly one role."""
    monkeypatch.setenv("KYSO_CA_EXCHANGE", "external")
    thuebao, badinh, cntt, admin = (demo.user(u) for u in ("thuebao", "badinh", "cntt", "admin"))
    cert = certificate_for("person", person=thuebao.person)
    with as_user(admin):
        device = services.register_device(admin, serial="TK-7001", unit=demo.unit("HN.BD"))
        services.change_device(admin, device, "issued", holder=cert.subscriber)
        cert.device = device
        cert.save()
    only(demo)
    with as_user(thuebao):
        rev = services.request_revocation(thuebao, cert, reason="b", detail="Chuyển công tác")
    only(demo, badinh={("revocation", "confirm", rev.pk)})
    page = client(demo, "badinh").get("/").content.decode()
    assert "Đề nghị thu hồi cần xác nhận (Mẫu 05)" in page
    # each step, taken by the role it waited for, leaves the next one waiting for exactly one role
    for actor, take_step, next_role, next_step in [
        (badinh, services.confirm_revocation, "cntt", "send"),
        (cntt, services.send_revocation, "cntt", "ca_confirmed"),
        (cntt, services.ca_confirmed_revocation, "cntt", "notify_unit"),
        (cntt, services.notify_unit_to_recover, "badinh", "return_device"),
    ]:
        with as_user(actor):
            take_step(actor, rev)
        only(demo, **{next_role: {("revocation", next_step, rev.pk)}})
    with as_user(badinh):
        services.return_device(badinh, rev)
    only(demo)


def test_a_recovered_device_waits_for_its_units_officer_until_returned(demo, as_user):
    """A key device recovered at Ba Đình is sealed and returned by Ba Đình's officer — not by the province above,
    not by the IT Center — and nobody else sees it waiting."""
    admin, badinh = demo.user("admin"), demo.user("badinh")
    with as_user(admin):
        device = services.register_device(admin, serial="TK-7002", unit=demo.unit("HN.BD"))
    only(demo)
    with as_user(badinh):
        services.change_device(badinh, device, "issued", holder=services.subscriber_for(
            "person", demo.user("thuebao").person, demo.unit("HN.BD")))
        services.change_device(badinh, device, "recovered", holder=None)
    only(demo, badinh={("device", "seal", device.pk)})
    with as_user(badinh):
        services.change_device(badinh, device, "sealed")
    only(demo, badinh={("device", "return", device.pk)})
    with as_user(badinh):
        services.change_device(badinh, device, "returned")
    only(demo)


def test_the_home_page_marks_a_step_overdue_in_working_days(demo, as_user):
    """A revocation confirmed on the Friday before Tết is due one working day later — Monday 23/02/2026, after the
    holiday. On 20/02 (a week later, still Tết) the IT Center's home page shows it waiting, not late; on 24/02 it
    is marked overdue, with its deadline."""
    thuebao, badinh = demo.user("thuebao"), demo.user("badinh")
    cert = certificate_for("person", person=thuebao.person)
    with time_machine.travel(dt.datetime(2026, 2, 13, 16, 0, tzinfo=VN), tick=False):
        with as_user(thuebao):
            rev = services.request_revocation(thuebao, cert, reason="b", detail="Chuyển công tác")
        with as_user(badinh):
            services.confirm_revocation(badinh, rev)
    with time_machine.travel(dt.datetime(2026, 2, 20, 9, 0, tzinfo=VN), tick=False):
        home = client(demo, "cntt").get("/").content.decode()
    assert "23/02/2026" in home and "quá hạn" not in home
    with time_machine.travel(dt.datetime(2026, 2, 24, 9, 0, tzinfo=VN), tick=False):
        home = client(demo, "cntt").get("/").content.decode()
        tasks = client(demo, "cntt").get("/tasks/lifecycle.revocation/send/").content.decode()
    assert '<span class="badge badge-danger">1 quá hạn</span>' in home and "1 bước đã quá hạn." in home
    assert 'class="overdue"' in tasks and "23/02/2026" in tasks


def test_a_provincial_leader_neither_sees_nor_approves_the_agencys_approval_list(demo, as_user):
    """The approval list (Form 02) is the IT Center's, approved by the agency's leadership: Hanoi's director (a
    leader at Hanoi, as the e-office demo makes him) had it in his queue and could approve it — the step asked for
    the approval permission anywhere."""
    from kyso.accounts import scope
    from kyso.accounts.models import RoleAssignment
    from kyso.core.errors import Forbidden

    thuebao, badinh, hanoi, cntt = (demo.user(u) for u in ("thuebao", "badinh", "hanoi", "cntt"))
    director = demo.user("giamdoc.hn")
    with as_user(demo.user("admin")):
        RoleAssignment.objects.get_or_create(user=director, role="leader", unit=demo.unit("HN"))
    scope.forget(director)
    with as_user(thuebao):
        req = services.file_request(thuebao, kind="person", person=thuebao.person)
    with as_user(badinh):
        services.confirm_request(badinh, req)
    compiled_and_sent(demo, as_user, badinh, "HN.BD", "send")
    province = compiled_and_sent(demo, as_user, hanoi, "HN", "send")
    with as_user(cntt):
        services.receive_list(cntt, province)
        services.review(cntt, IssuanceRequest.objects.get(pk=req.pk), valid=True)
        approval = services.compile_approval_list(cntt, [req.pk])
    only(demo, lanhdao={("list", "approve", approval.pk)})
    assert not [e for e in workflow.work_for(director) if e.workflow.name == "lifecycle.list"]
    with as_user(director), pytest.raises(Forbidden):
        services.approve_list(director, RequestList.objects.get(pk=approval.pk))
    with as_user(demo.user("lanhdao")):
        services.approve_list(demo.user("lanhdao"), RequestList.objects.get(pk=approval.pk))
