"""The e-office pages: a draft written in the form, the review and the leader's signature from his tablet
(the answer given on the phone page), the clerk's seal-number-dispatch button, the arrival page with its
verification report, assignment; books as XLSX; other units see nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyso.eoffice.models import IncomingDocument, OutgoingDocument
from kyso.mobile.models import MsspTransaction

from .conftest import PIN

pytestmark = pytest.mark.django_db


def _as(client, demo, username):
    client.force_login(demo.user(username))
    return client


def test_draft_sign_issue_and_arrival_through_the_pages(client, demo, hn_leader):
    c = _as(client, demo, "hanoi")
    assert c.get("/eoffice/new/").status_code == 200
    resp = c.post("/eoffice/new/", {"doc_type": "TB", "subject": "Thông báo lịch trực Tết", "urgency": "urgent",
                                    "signer": hn_leader.pk, "signer_title": "Giám đốc", "recipients": ["HN.BD"],
                                    "body": "Lịch trực Tết Bính Ngọ.\n\nTrân trọng."})
    doc = OutgoingDocument.objects.get()
    assert resp.status_code == 302 and resp.url == f"/eoffice/out/{doc.pk}/"
    page = c.get(resp.url).content.decode()
    assert 'value="submit"' in page and "/eoffice/out/" in page
    c.post(resp.url, {"op": "submit", "reviewer": hn_leader.pk})
    leader = _as(client, demo, "giamdoc.hn")
    leader.post(resp.url, {"op": "approve", "note": "Đồng ý"})
    assert "/tasks/eoffice.outgoing/sign/" in leader.get("/").content.decode(), "his home page lists what waits"
    from kyso.notify.models import Notification

    assert Notification.objects.filter(topic="eoffice.sign", channel="sms").exists(), "and an SMS tells him"
    page = leader.get(resp.url).content.decode()
    assert 'id="sign-phone"' in page, "the leader sees the button to sign on his phone"
    leader.post(resp.url, {"op": "sign_phone"})
    assert leader.get(f"/eoffice/out/{doc.pk}/status.json").json()["state"] == "signing"
    txn = MsspTransaction.objects.get()
    assert leader.post(f"/mobile/phone/sim/{txn.mssp_trans_id}/", {"pin": PIN}).status_code == 302
    assert leader.get(f"/eoffice/out/{doc.pk}/status.json").json()["state"] == "signed"
    page = leader.get(resp.url).content.decode()
    assert "bằng SIM PKI" in page and ">sim<" not in page and "(sim)" not in page, "how he signed, in words"

    clerk = _as(client, demo, "vanthu.hn")
    assert 'value="issue_dispatch"' in clerk.get(resp.url).content.decode()
    clerk.post(resp.url, {"op": "issue_dispatch"})
    doc.refresh_from_db()
    assert doc.state == "dispatched" and doc.number_symbol == "1/TB-BHXH"
    issued = clerk.get(f"/eoffice/out/{doc.pk}/issued.pdf")
    assert issued["Content-Type"] == "application/pdf" and issued.content.startswith(b"%PDF-")

    bd = _as(client, demo, "vanthu.bd")
    incoming = IncomingDocument.objects.get()
    listing = bd.get("/eoffice/?book=in").content.decode()
    assert f"/eoffice/in/{incoming.pk}/" in listing and "Hợp lệ" in listing     # the verdict in words
    page = bd.get(f"/eoffice/in/{incoming.pk}/").content.decode()
    assert 'id="indication"' in page and "Hợp lệ" in page
    assert bd.get(f"/eoffice/in/{incoming.pk}/report.pdf").content.startswith(b"%PDF-")
    bd.post(f"/eoffice/in/{incoming.pk}/", {"op": "assign", "assignee": demo.user("thuebao").pk, "days": "2"})
    incoming.refresh_from_db()
    assert incoming.state == "assigned" and incoming.assignee.username == "thuebao"

    from openpyxl import load_workbook

    clerk = _as(client, demo, "vanthu.hn")     # one test client: each _as() logs another user in
    book = load_workbook(io.BytesIO(clerk.get(f"/eoffice/book.xlsx?book=out&year={doc.year}").content)).active
    assert [c.value for c in book[2]][:2] == [1, "TB-BHXH"]
    bd = _as(client, demo, "vanthu.bd")
    book = load_workbook(io.BytesIO(bd.get(f"/eoffice/book.xlsx?book=in&year={doc.year}").content)).active
    assert book[2][0].value == 1 and "TOTAL_PASSED" in [c.value for c in book[2]]

    other = _as(client, demo, "hcm")
    assert other.get(f"/eoffice/out/{doc.pk}/").status_code == 404
    assert other.get(f"/eoffice/in/{incoming.pk}/").status_code == 404
    assert f"/eoffice/in/{incoming.pk}/" not in other.get("/eoffice/?book=in").content.decode()


def test_bad_uploads_are_shown_not_stored(client, demo, hn_leader):
    c = _as(client, demo, "hanoi")
    resp = c.post("/eoffice/new/", {"subject": "V/v", "signer": hn_leader.pk, "recipients": ["HN.BD"],
                                    "file": SimpleUploadedFile("a.pdf", b"not a pdf")}, follow=True)
    assert resp.status_code == 200 and b"PDF" in resp.content and not OutgoingDocument.objects.exists()
    bd = _as(client, demo, "vanthu.bd")
    resp = bd.post("/eoffice/in/new/", {"unit": demo.unit("HN.BD").pk, "sender": "A", "subject": "B",
                                        "file": SimpleUploadedFile("x.xml", b"<?xml version='1.0'?><r><unclosed></r>")},
                   follow=True)
    assert resp.status_code == 200 and not IncomingDocument.objects.exists()
    assert _as(client, demo, "thuebao").get("/eoffice/in/new/").status_code == 403
