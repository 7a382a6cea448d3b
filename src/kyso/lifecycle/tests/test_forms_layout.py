"""Forms 01–05 of Decision 508 as the annex lays them out (issue 17, point 5): the form's label once at the top
right, the national motto right, no doubled colon, table headers that do not break inside a word, Form 05 with
the subscriber's own residence; each page kept as a PNG under var/test-output/documents."""

import re

import pytest

from kyso.core.pdflayout import layout, to_png
from kyso.lifecycle import documents
from kyso.lifecycle.models import IssuanceRequest, RequestList, RequestState, RevocationRequest

from .factories import in_state
from .test_forms import issued  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db
MM = 72 / 25.4


def _check(pdf: bytes, name: str, label: str):
    assert to_png(pdf, name)
    page = layout(pdf)
    text = page.text()
    assert not re.search(r":\s*:", text), re.search(r".{30}:\s*:.{10}", text).group(0)
    assert page.count(label) == 1, f"{label} {page.count(label)} times"
    mark = page.find(label)
    assert mark.x0 > page.width / 2 and mark.y0 < page.height / 4                   # top right
    assert page.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").y0 > mark.y0
    return page


def test_forms_01_to_05(api, issued):  # noqa: F811
    person, req, cert = issued
    _check(documents.form01_pdf(req), "mau-01", "Mẫu số 01")
    page = _check(documents.render(documents.form03_for_request(req), "pdf")[0], "mau-03", "Mẫu số 03")
    head = page.find("STT")
    assert page.find("Họ tên").y0 == pytest.approx(head.y0, abs=2)
    _check(documents.render(documents.form04_for_request(req), "pdf")[0], "mau-04", "Mẫu số 04")
    rev = api("thuebao").post("/api/v1/lifecycle/revocations/", {"certificate": cert.pk, "reason": "b",
                                                                 "detail": "Nghi lộ khóa bí mật"}, format="json").json()
    page = _check(documents.form05_pdf(RevocationRequest.objects.get(pk=rev["id"])), "mau-05", "Mẫu số 05")
    assert person.residence and person.residence.split()[0] in page.text()
    assert cert.subscriber.unit.address not in page.text() if cert.subscriber.unit.address else True


def test_form02_the_list(api, demo):
    """Form 02 (the list a managing unit sends up): landscape, label and motto right, the issuing unit left, the
    title centred, every column header on the header row in whole words, one row per request under it, the
    signers' blocks side by side under the table — "NGƯỜI LẬP" left, the manager with place and date right."""
    person = demo.user("thuebao").person
    req = api("badinh").post("/api/v1/lifecycle/requests/", {"kind": "person", "person": person.pk},
                             format="json").json()
    in_state(IssuanceRequest.objects.get(pk=req["id"]), RequestState.CONFIRMED)
    lst = RequestList.objects.get(pk=api("badinh").post("/api/v1/lifecycle/lists/", {"unit": "HN.BD"},
                                                        format="json").json()["id"])
    page = _check(documents.form02_pdf(lst), "mau-02", "Mẫu số 02")
    assert page.width > page.height, "landscape, as the annex prints the list"
    mid = page.width / 2
    issuer = page.find(lst.unit.name.upper())
    assert issuer.cx < mid and page.find(f"Số: {lst.number}").cx < mid
    title = page.find("DANH SÁCH ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ")
    text_mid = (30 * MM + page.width - 15 * MM) / 2                                  # margins 30 mm left, 15 mm right
    assert abs(title.cx - text_mid) < 3 and title.y0 > issuer.y1
    assert page.find("Số lượng đăng ký: 1").y0 > title.y1
    head = page.find("STT")
    assert head.y0 > title.y1
    for column in ("Họ tên", "Ngày sinh", "Tên cơ quan,", "Tỉnh/Thành phố", "Chức vụ", "Địa chỉ thư điện tử"):
        box = page.find(column)
        assert box.y0 == pytest.approx(head.y0, abs=12), f"{column} not on the header row"
    xs = [page.find(c).x0 for c in ("STT", "Họ tên", "Ngày sinh", "Tỉnh/Thành phố", "Địa chỉ thư điện tử")]
    assert xs == sorted(xs), "columns in the annex's order"
    row = page.find(person.full_name)
    assert row.y0 > head.y1 and row.x0 < page.find("Ngày sinh").x0
    maker, manager = page.find("NGƯỜI LẬP"), page.find("NGƯỜI QUẢN LÝ THUÊ BAO")
    assert maker.y0 > row.y1 and maker.cx < mid and manager.cx > mid
    assert manager.y0 == pytest.approx(maker.y0, abs=2), "the two blocks side by side"
    [date_word] = [w for w in page.words if w.text == "ngày" and w.y0 > row.y1]      # the manager's date line
    assert date_word.x0 > mid and date_word.y1 <= manager.y0 + 1
    assert page.find("(Ký tên, đóng dấu)").y0 > manager.y1
