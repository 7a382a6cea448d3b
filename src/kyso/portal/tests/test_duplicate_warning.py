"""Issue 17, point 8: a dossier of the same employer, procedure and period as an earlier one is received (a
correction is filed the same way) but warned about — on the portal when it is submitted, in the API answer
and on the dossier page the one-stop desk works from — with the earlier dossier linked."""

from django.test import Client

from . import helpers as h


def _submit(employer_api, files):
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": files}, format="json")
    assert r.status_code == 201, r.json()
    return r.json()


def _files(employer, period="2026-11"):
    _sub, issued, key = employer
    xml = h.d02().replace(b"<KyBaoCao>2026-11</KyBaoCao>", f"<KyBaoCao>{period}</KyBaoCao>".encode())
    return [h.b64file("D02-TS.xml", h.signed(xml, issued, key)), h.b64file("TK1-TS.xml", h.signed(h.tk1(), issued, key))]


def test_the_same_period_twice_is_warned_with_the_earlier_dossier(demo, employer, employer_api):
    first = _submit(employer_api, _files(employer))
    assert first["period"] == "2026-11" and first["duplicates"] == []
    second = _submit(employer_api, _files(employer))
    assert second["duplicates"] == [first["code"]]
    other = _submit(employer_api, _files(employer, "2026-12"))
    assert other["duplicates"] == []

    desk = Client(HTTP_ACCEPT_LANGUAGE="vi")
    desk.force_login(demo.user("motcua.bd"))
    page = desk.get(f"/portal/d/{second['code']}/").content.decode()
    assert "Đơn vị đã nộp thủ tục này cho kỳ 11/2026" in page and f'/portal/d/{first["code"]}/' in page
    assert "Đơn vị đã nộp" not in desk.get(f"/portal/d/{other['code']}/").content.decode()


def test_the_portal_warns_when_the_duplicate_is_submitted(employer):
    sub, issued, key = employer
    web = Client(HTTP_ACCEPT_LANGUAGE="vi")
    web.force_login(sub.user)

    def post():
        files = []
        for name, xml in (("D02-TS.xml", h.d02()), ("TK1-TS.xml", h.tk1())):
            f = __import__("io").BytesIO(h.signed(xml, issued, key))
            f.name = name
            files.append(f)
        return web.post("/portal/submit/", {"procedure": "600", "files": files}, follow=True).content.decode()

    first = post()
    assert "Đơn vị đã nộp" not in first
    second = post()
    assert "Đơn vị đã nộp thủ tục này cho kỳ 11/2026" in second and "Kiểm tra" in second
