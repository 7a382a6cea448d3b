"""Forms 01–05 in the official layout (national motto, unit, number and symbol, place and date in
Vietnamese), filled from the records, as PDF (read back with pypdf) and DOCX (python-docx); Form 02
also as XLSX."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from kyso.lifecycle.models import IssuanceRequest, RequestState

from .factories import certificate_for, in_state

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def pdf_text(resp) -> str:
    assert resp.status_code == 200, resp.content[:300]
    assert resp["Content-Type"] == "application/pdf"
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(resp.content)).pages)


def docx_text(resp) -> str:
    assert resp.status_code == 200
    doc = Document(io.BytesIO(resp.content))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


@pytest.fixture
def issued(api, demo):
    person = demo.user("thuebao").person
    r = api("thuebao").post("/api/v1/lifecycle/requests/", {"kind": "person", "person": person.pk,
                                                            "validity_years": 3}, format="json").json()
    req = IssuanceRequest.objects.get(pk=r["id"])
    cert = certificate_for("person", person=person)
    cert.request = req
    from django.db import transaction

    from kyso import audit
    from kyso.core.context import acting_as

    with acting_as(label="test"), transaction.atomic(), audit.action("test.link"):
        cert.save()
    in_state(req, RequestState.HANDED_TO_SUBSCRIBER)
    return person, req, cert


@pytest.mark.django_db
def test_form01_pdf_and_docx(api, issued):
    person, req, _cert = issued
    for text in (pdf_text(api("thuebao").get(f"/api/v1/lifecycle/requests/{req.pk}/form01.pdf/")),
                 docx_text(api("thuebao").get(f"/api/v1/lifecycle/requests/{req.pk}/form01.docx/"))):
        assert all(m in text for m in MOTTO)
        assert "Mẫu số 01" in text and "GIẤY ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ" in text
        assert person.full_name.upper() in text and person.id_number in text and person.email in text
        assert "3 năm" in text and "Kính gửi: BHXH quận Ba Đình" in text
        assert f"Hà Nội, ngày {req.submitted_on.day:02d} tháng" in text


@pytest.mark.django_db
def test_form03_04_05(api, issued):
    person, req, cert = issued
    text = pdf_text(api("cntt").get(f"/api/v1/lifecycle/requests/{req.pk}/form03.pdf/"))
    assert "Mẫu số 03" in text and "BIÊN BẢN GIAO NHẬN CHỨNG THƯ SỐ" in text and all(m in text for m in MOTTO)
    assert "Trung tâm Công nghệ thông tin" in text and "BHXH quận Ba Đình" in text
    assert cert.serial in text.replace(" ", "") and "Cấp mới" in text and "01 (bằng chữ: một)" in text

    text = pdf_text(api("cntt").get(f"/api/v1/lifecycle/requests/{req.pk}/form04.pdf/"))
    assert "Mẫu số 04" in text and "THÔNG BÁO" in text and "thời điểm có hiệu lực" in text
    assert "Kính gửi: Ban Cơ yếu Chính phủ" in text and "Số: ......../TB-CNTT" in text
    assert "BẢO HIỂM XÃ HỘI VIỆT NAM" in text and cert.serial in text.replace(" ", "") and person.full_name in text

    rev = api("thuebao").post("/api/v1/lifecycle/revocations/", {"certificate": cert.pk, "reason": "b",
                                                                 "detail": "Nghi lộ khóa bí mật"}, format="json").json()
    for text in (pdf_text(api("thuebao").get(f"/api/v1/lifecycle/revocations/{rev['id']}/form05.pdf/")),
                 docx_text(api("thuebao").get(f"/api/v1/lifecycle/revocations/{rev['id']}/form05.docx/"))):
        assert "Mẫu số 05" in text and "GIẤY ĐỀ NGHỊ THU HỒI CHỨNG THƯ SỐ" in text and all(m in text for m in MOTTO)
        assert person.full_name.upper() in text and cert.serial in text.replace(" ", "") and "Nghi lộ khóa bí mật" in text
        assert "Kính gửi: BHXH quận Ba Đình" in text and person.id_number in text

    # the filed Form 05 is archived and served from the archive
    records = api("thuebao").get(f"/api/v1/lifecycle/records/?subject_type=revocation&subject_id={rev['id']}")
    rec = records.json()["results"][0]
    assert rec["form"] == "05"
    assert "GIẤY ĐỀ NGHỊ THU HỒI" in pdf_text(api("thuebao").get(f"/api/v1/lifecycle/records/{rec['id']}/pdf/"))


@pytest.mark.django_db
def test_signed_form03_coming_back_by_post_is_archived(api, issued):
    _person, req, _cert = issued
    scan = api("cntt").get(f"/api/v1/lifecycle/requests/{req.pk}/form03.pdf/").content
    resp = api("cntt").post(f"/api/v1/lifecycle/requests/{req.pk}/signed-record/",
                            {"file": io.BytesIO(scan)}, format="multipart")
    assert resp.status_code == 201 and resp.json()["form"] == "03" and "đã ký" in resp.json()["title"]
    bad = api("cntt").post(f"/api/v1/lifecycle/requests/{req.pk}/signed-record/",
                           {"file": io.BytesIO(b"not a pdf")}, format="multipart")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "lifecycle.record.not_pdf"
    records = api("cntt").get(f"/api/v1/lifecycle/records/?subject_type=request&subject_id={req.pk}").json()
    assert [r["title"] for r in records["results"] if r["form"] == "03"] == [resp.json()["title"]]


@pytest.mark.django_db
def test_form03_before_issuance_is_refused(api, demo):
    person = demo.user("thuebao").person
    r = api("thuebao").post("/api/v1/lifecycle/requests/", {"kind": "person", "person": person.pk}, format="json")
    resp = api("cntt").get(f"/api/v1/lifecycle/requests/{r.json()['id']}/form03.pdf/")
    assert resp.status_code == 409 and resp.json()["error"]["code"] == "lifecycle.request.not_issued"
