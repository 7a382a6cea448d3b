"""Attachments in separate files (Decision 508, Art. 8.7): the clerk seals each with the main document's number
and symbol; on arrival each is verified as that document's attachment — one bound to another number fails."""

import pytest

from kyso.core.errors import InvalidInput
from kyso.eoffice import services
from kyso.eoffice.drafting import render_draft
from kyso.files.storage import read

from .conftest import issued_by_hanoi, make_draft

pytestmark = pytest.mark.django_db


def _annex(title="PHỤ LỤC"):
    return render_draft(organization="BHXH THÀNH PHỐ HÀ NỘI", symbol_suffix="BHXH-VP", place="Hà Nội",
                        subject="Danh sách đơn vị", body="1. BHXH quận Ba Đình\n\n2. BHXH quận Cầu Giấy",
                        title=title)


def _dispatched(demo, leader, as_user, attachments):
    clerk = demo.user("vanthu.hn")
    doc = issued_by_hanoi(demo, leader, as_user, attachments=attachments)
    with as_user(clerk):
        return services.dispatch(doc, clerk)


def test_attachments_are_sealed_with_the_number_and_verified_on_arrival(demo, hn_leader, as_user):
    doc = _dispatched(demo, hn_leader, as_user, [("phu-luc-1.pdf", _annex()), ("phu-luc-2.pdf", _annex("PHỤ LỤC II"))])
    sealed = [read(a.file) for a in doc.attachments.all()]
    assert len(sealed) == 2
    from kyso.signing.verify import verify_bytes

    report = verify_bytes(sealed[0], doc_type="attachment", main_document=doc.number_symbol)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert doc.number_symbol in report.signatures[0].reason
    incoming = doc.recipients.get().incoming
    got = [(a.name, a.indication) for a in incoming.attachments.all()]
    assert got == [("phu-luc-1.pdf", "TOTAL_PASSED"), ("phu-luc-2.pdf", "TOTAL_PASSED")]


def test_an_attachment_of_another_document_does_not_pass(demo, hn_leader, as_user):
    first = _dispatched(demo, hn_leader, as_user, [("phu-luc.pdf", _annex())])
    main = read(first.issued_file)
    foreign = read(first.attachments.get().file)
    clerk = demo.user("vanthu.bd")
    with as_user(clerk):
        doc = services.receive_external(clerk, demo.unit("HN.BD"), main, filename="cv.pdf", sender="BHXH Hà Nội",
                                        subject="V/v", original_number="999/BHXH-VP",
                                        attachments=[("phu-luc.pdf", foreign)])
    assert doc.attachments.get().indication != "TOTAL_PASSED"


def test_attachments_must_be_unsigned_pdfs(demo, hn_leader, as_user):
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, demo.user("hanoi"), hn_leader, attachments=[("a.docx", b"PK\x03\x04")])
    assert e.value.code == "eoffice.file.not_pdf"
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, demo.user("hanoi"), hn_leader, attachments=[("a.pdf", _annex())] * 11)
    assert e.value.code == "eoffice.attachments.too_many"


def test_attachments_through_the_api_and_pages(api, client, demo, hn_leader):
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = api("hanoi").post("/api/v1/eoffice/outgoing/", {
        "subject": "V/v gửi danh sách", "signer": "giamdoc.hn", "recipients": "HN.BD", "body": "Gửi kèm danh sách.",
        "attachments": [SimpleUploadedFile("ds.pdf", _annex())]}, format="multipart")
    assert resp.status_code == 201, resp.content
    att = resp.json()["attachments"]
    assert [a["name"] for a in att] == ["ds.pdf"] and att[0]["sealed"] is False
    client.force_login(demo.user("hanoi"))
    page = client.get(f"/eoffice/out/{resp.json()['id']}/").content.decode()
    assert f"/eoffice/attachments/{att[0]['id']}/" in page
    assert client.get(f"/eoffice/attachments/{att[0]['id']}/").content.startswith(b"%PDF-")
    client.force_login(demo.user("hcm"))
    assert client.get(f"/eoffice/attachments/{att[0]['id']}/").status_code == 404
