"""Issue 17, item 1 (portal): the home page and /tasks/ show each role the dossiers that wait for him — from
the workflow declaration (`flows.DOSSIER`), not an inbox provider: the receiving office's own officers (Ba
Đình's one-stop officer, not the province's), the leader nothing of a district's dossier, the submitter the
supplement asked of him; after each step the page says where the dossier went."""

import pytest
from django.test import Client

from kyso.core import workflow
from kyso.core.context import acting_as
from kyso.portal import processing

from . import helpers as h

pytestmark = pytest.mark.django_db

ROLES = ["admin", "cntt", "lanhdao", "hanoi", "badinh", "hcm", "vanthu.hn", "vanthu.bd", "thuebao", "giamdoc.hn",
         "motcua.hn", "motcua.bd", "kiemtoan"]


def only(demo, dossiers, **expected):
    """Exactly these users have these dossiers (of `dossiers`) waiting, at these steps."""
    pks = {d.pk for d in dossiers}
    got = {}
    for username in ROLES + [u.replace("_", ".") for u in expected if u.replace("_", ".") not in ROLES]:
        entries = [e for e in workflow.work_for(demo.user(username)) if e.workflow.name == "portal.dossier"]
        got[username] = {(e.transition.name, r.code) for e in entries for r in e.records if r.pk in pks}
    want = {u: set() for u in got}
    for username, items in expected.items():
        want[username.replace("_", ".")] = set(items)
    assert got == want


def page(demo, username, url="/"):
    c = Client(HTTP_ACCEPT_LANGUAGE="vi")
    c.force_login(demo.user(username))
    return c.get(url).content.decode()


def test_a_dossier_at_a_district_and_one_at_the_province(demo, pki):
    bd = h.make_dossier(demo.unit("HN.BD"))
    hn = h.make_dossier(demo.unit("HN"), tax_code="0100000002")
    both = [bd, hn]
    only(demo, both, badinh={("assign", bd.code)}, motcua_bd={("assign", bd.code)},
         hanoi={("assign", hn.code)}, motcua_hn={("assign", hn.code)})
    assert "Hồ sơ cần phân công" in page(demo, "motcua.bd") and "/tasks/portal.dossier/assign/" in page(demo, "motcua.bd")
    assert bd.code in page(demo, "motcua.bd", "/tasks/portal.dossier/assign/")
    assert bd.code not in page(demo, "motcua.hn", "/tasks/portal.dossier/assign/")
    for username in ("lanhdao", "kiemtoan"):
        assert "Hồ sơ cần" not in page(demo, username) and "Kết quả cần" not in page(demo, username)

    badinh, desk = demo.user("badinh"), demo.user("motcua.bd")
    with acting_as(badinh):
        processing.advance(badinh, bd, "assign", assignee="motcua.bd")
    only(demo, both, motcua_bd={("process", bd.code)}, hanoi={("assign", hn.code)}, motcua_hn={("assign", hn.code)})
    with acting_as(desk):
        processing.advance(desk, bd, "process")
    only(demo, [bd], badinh={("approve", bd.code)})
    with acting_as(badinh):
        processing.advance(badinh, bd, "approve")
    # the result waits for Ba Đình's leader (Art. 8.2), not for the officer who approved it nor the agency's leader
    leader, _serial = h.office_leader()
    only(demo, [bd], giamdoc_bd={("sign", bd.code)})
    h.leader_signs(bd)
    only(demo, [bd], motcua_bd={("return", bd.code)})
    assert "Kết quả cần trả cho người nộp" in page(demo, "motcua.bd")
    with acting_as(desk):
        processing.advance(desk, bd, "return")
    only(demo, [bd])


def test_the_page_says_where_the_dossier_went_and_the_submitter_sees_his_supplement(demo, employer, employer_api,
                                                                                    signed_600):
    code = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600},
                             format="json").json()["code"]
    c = Client(HTTP_ACCEPT_LANGUAGE="vi")
    c.force_login(demo.user("badinh"))
    text = c.post(f"/portal/d/{code}/", {"op": "step", "step": "assign", "assignee": "motcua.bd"},
                  follow=True).content.decode()
    assert "Hiện tại: Đã phân công — đang chờ" in text and "(BHXH quận Ba Đình): Xử lý" in text
    text = c.post(f"/portal/d/{code}/", {"op": "supplement_request", "missing": "Tờ khai TK1-TS"},
                  follow=True).content.decode()
    assert "Chờ bổ sung" in text or "chờ bổ sung" in text
    sub = employer[0].user
    entries = [e for e in workflow.work_for(sub) if e.workflow.name == "portal.dossier"]
    assert [(e.transition.name, [r.code for r in e.records]) for e in entries] == [("supplement", [code])]
    assert "Hồ sơ chờ tôi bổ sung" in page(demo, sub.username) or "bổ sung" in page(demo, sub.username)
    assert not [e for e in workflow.work_for(demo.user("motcua.bd")) if e.workflow.name == "portal.dossier"]
