"""The e-office API end to end (draft → review → phone signature → seal and number → dispatch → arrival,
assignment, completion), and its answers to bad input: a stable code, nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyso.eoffice.models import OutgoingDocument
from kyso.mobile import simulator

from .conftest import PIN

pytestmark = pytest.mark.django_db


def _err(resp):
    return resp.json()["error"]["code"]


def test_the_whole_way_through_the_api(api, demo, hn_leader):
    hanoi, leader, clerk = api("hanoi"), api("giamdoc.hn"), api("vanthu.hn")
    resp = hanoi.post("/api/v1/eoffice/outgoing/", {
        "subject": "V/v báo cáo tình hình sử dụng SIM PKI", "signer": "giamdoc.hn", "signer_title": "Giám đốc",
        "recipients": ["HN.BD"], "body": "Đề nghị các đơn vị báo cáo.\n\nTrân trọng."}, format="json")
    assert resp.status_code == 201, resp.content
    doc_id = resp.json()["id"]
    assert hanoi.post(f"/api/v1/eoffice/outgoing/{doc_id}/submit/", {"reviewer": "giamdoc.hn"},
                      format="json").status_code == 200
    assert leader.post(f"/api/v1/eoffice/outgoing/{doc_id}/approve/", {}, format="json").json()["state"] == "to_sign"
    resp = leader.post(f"/api/v1/eoffice/outgoing/{doc_id}/sign-phone/", {}, format="json")
    assert resp.json()["state"] == "signing", resp.content
    prompt = simulator.pending_on_phone(["+84912000346"]).first()
    simulator.phone_answer("+84912000346", prompt.mssp_trans_id, pin=PIN)
    assert clerk.get(f"/api/v1/eoffice/outgoing/{doc_id}/").json()["state"] == "signed"
    resp = clerk.post(f"/api/v1/eoffice/outgoing/{doc_id}/issue/", {}, format="json")
    assert resp.json()["number_symbol"] == "1/BHXH-VP", resp.content
    resp = clerk.post(f"/api/v1/eoffice/outgoing/{doc_id}/dispatch/", {}, format="json")
    incoming_id = resp.json()["recipients"][0]["incoming"]
    pdf = clerk.get(f"/api/v1/eoffice/outgoing/{doc_id}/issued.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    bd = api("vanthu.bd")
    listed = bd.get("/api/v1/eoffice/incoming/").json()["results"]
    assert [i["id"] for i in listed] == [incoming_id] and listed[0]["indication"] == "TOTAL_PASSED"
    detail = bd.get(f"/api/v1/eoffice/incoming/{incoming_id}/").json()
    assert detail["report"]["indication"] == "TOTAL_PASSED" and len(detail["report"]["signatures"]) == 2
    resp = bd.post(f"/api/v1/eoffice/incoming/{incoming_id}/assign/", {"assignee": "thuebao", "days": 2},
                   format="json")
    assert resp.json()["state"] == "assigned" and resp.json()["due_date"]
    resp = api("thuebao").post(f"/api/v1/eoffice/incoming/{incoming_id}/complete/", {"outcome": "Đã báo cáo"},
                               format="json")
    assert resp.json()["state"] == "done"
    assert api("hcm").get(f"/api/v1/eoffice/incoming/{incoming_id}/").status_code == 404


def test_bad_input_answers_with_a_code_and_writes_nothing(api, demo, hn_leader):
    hanoi = api("hanoi")
    base = {"subject": "V/v", "signer": "giamdoc.hn", "recipients": ["HN.BD"], "body": "x"}
    cases = [({**base, "signer": "nobody"}, "eoffice.signer.not_leader"),
             ({**base, "signer": "thuebao"}, "eoffice.signer.not_leader"),
             ({**base, "recipients": "HN.BD,NOPE"}, "eoffice.recipient.unknown"),
             ({**base, "recipients": [{"x": 1}]}, "eoffice.recipient.invalid"),
             ({**base, "doc_type": "ZZ"}, "eoffice.draft.invalid"),
             ({**base, "body": ""}, "eoffice.draft.no_content")]
    for body, code in cases:
        resp = hanoi.post("/api/v1/eoffice/outgoing/", body, format="json")
        assert resp.status_code == 400 and _err(resp) == code, (body, resp.content)
    resp = hanoi.post("/api/v1/eoffice/outgoing/", {**base, "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00")},
                      format="multipart")
    assert resp.status_code == 400 and _err(resp) == "eoffice.file.not_pdf"
    assert not OutgoingDocument.objects.exists()
    doc = hanoi.post("/api/v1/eoffice/outgoing/", base, format="json").json()
    assert hanoi.post(f"/api/v1/eoffice/outgoing/{doc['id']}/frobnicate/", {}, format="json").status_code == 404
    resp = hanoi.post(f"/api/v1/eoffice/outgoing/{doc['id']}/issue/", {}, format="json")
    assert resp.status_code == 403
    resp = api("vanthu.hn").post(f"/api/v1/eoffice/outgoing/{doc['id']}/issue/", {}, format="json")
    assert resp.status_code == 409 and _err(resp) == "eoffice.state"
    resp = api("vanthu.bd").post("/api/v1/eoffice/incoming/", {"unit": "HN.BD", "sender": "A", "subject": "B",
                                                               "file": SimpleUploadedFile("x.pdf", b"junk")},
                                 format="multipart")
    assert resp.status_code == 400 and _err(resp) == "signing.input.unknown_format"
    assert api().get("/api/v1/eoffice/outgoing/").status_code in (401, 403)
