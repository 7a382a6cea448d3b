"""Forms 01–05 of Decision 508 as the annex lays them out (issue 17, point 5): the form's label once at the top
right, the national motto right, no doubled colon, table headers that do not break inside a word, Form 05 with
the subscriber's own residence; each page kept as a PNG under var/test-output/documents."""

import re

import pytest

from kyso.core.pdflayout import layout, to_png
from kyso.lifecycle import documents
from kyso.lifecycle.models import RevocationRequest

from .test_forms import issued  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


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
