"""The register pages by hand: expiry filters, ticking certificates to revoke them together (progress
page), the letter 26 import with its rejected-row report, completing a returned request, the external-CA
package and import, Forms 03–05 downloads, and the leader's and subscriber's home-page queues."""

import io
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.uploadedfile import SimpleUploadedFile

from kyso.jobs.worker import drain
from kyso.lifecycle.models import Certificate, IssuanceRequest, Record, RequestState, RevocationRequest

from .factories import ExternalCa, certificate_for, in_state, pem


@pytest.mark.django_db
def test_register_filters_and_revoke_chosen(demo, django_capture_on_commit_callbacks):
    soon = certificate_for("person", person=demo.person("HN.BD", "Giám đốc"), days=20)
    later = certificate_for("person", person=demo.person("HN.BD", "Văn thư"), days=400)   # not badinh himself
    badinh = demo.client("badinh")
    page = badinh.get("/lifecycle/certificates/?expiring=30").content.decode()
    assert soon.subscriber.name in page and later.subscriber.name not in page
    bad = badinh.get("/lifecycle/certificates/?expiring=45", follow=True).content.decode()
    assert "Thời hạn lọc là" in bad        # the message in Vietnamese, no internal code (issue 17)
    # no reason detail: refused, nothing starts
    badinh.post("/lifecycle/certificates/", {"certificate": [soon.pk, later.pk], "reason": "d", "detail": ""})
    assert not RevocationRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        resp = badinh.post("/lifecycle/certificates/", {"certificate": [soon.pk, later.pk], "reason": "d",
                                                        "detail": "Đơn vị sáp nhập"})
    assert resp.status_code == 302 and resp["Location"].startswith("/jobs/")
    assert not RevocationRequest.objects.exists()       # the request only submitted the job
    drain()
    progress = badinh.get(resp["Location"]).content.decode()
    assert "<progress" in progress and 'value="2"' in progress
    assert RevocationRequest.objects.filter(certificate__in=[soon, later], reason="d").count() == 2


def _job_page(client, resp) -> str:
    """The import page hands the file to a job (never run in the request) and goes to the job's page."""
    assert resp.status_code == 302 and resp["Location"].startswith("/jobs/"), resp.status_code
    drain()
    return client.get(resp["Location"]).content.decode()


@pytest.mark.django_db
def test_import_page_reports_rejected_rows(demo):
    boss = demo.person("HN.BD", "Giám đốc")
    cert = ExternalCa().issue(ec.generate_private_key(ec.SECP256R1()).public_key(), boss.full_name, boss.email)
    badinh = demo.client("badinh")
    assert badinh.get("/lifecycle/import/").status_code == 200
    register = "Loại,Mã đơn vị,Tệp chứng thư\ncá nhân,HN.BD,gd.pem\ntổ chức,HN.THIEU,,\n".encode()
    page = _job_page(badinh, badinh.post("/lifecycle/import/", {"register": SimpleUploadedFile("so.csv", register),
                                                                "files": [SimpleUploadedFile("gd.pem", pem(cert))]}))
    assert "không ghi gì từ tệp" in page and "Không có đơn vị HN.THIEU." in page and "lifecycle.import" not in page and not Certificate.objects.exists()
    register = "Loại,Mã đơn vị,Tệp chứng thư\ncá nhân,HN.BD,gd.pem\n".encode()
    page = _job_page(badinh, badinh.post("/lifecycle/import/", {"register": SimpleUploadedFile("so.csv", register),
                                                                "files": [SimpleUploadedFile("gd.pem", pem(cert))]}))
    assert "Đã xong 1, bị từ chối 0" in page and "không ghi gì từ tệp" not in page
    assert Certificate.objects.get(serial=format(cert.serial_number, "x")).subscriber.person == boss
    assert demo.client("thuebao").get("/lifecycle/import/").status_code == 403


@pytest.mark.django_db
def test_complete_a_returned_request_and_queues(demo):
    person = demo.user("thuebao").person
    thuebao = demo.client("thuebao")
    thuebao.post("/lifecycle/requests/new/", {"kind": "person", "person": person.pk, "validity_years": 5})
    req = IssuanceRequest.objects.get(full_name=person.full_name)
    in_state(req, RequestState.RETURNED)
    home = thuebao.get("/").content.decode()
    assert "/lifecycle/" in home
    page = thuebao.get(f"/lifecycle/requests/{req.pk}/edit/")
    assert page.status_code == 200 and person.full_name in page.content.decode()
    resp = thuebao.post(f"/lifecycle/requests/{req.pk}/edit/", {"residence": "Số 9 Đội Cấn, Ba Đình, Hà Nội",
                                                               "validity_years": "3"})
    assert resp.status_code == 302
    req.refresh_from_db()
    assert (req.state, req.version, req.validity_years) == ("submitted", 2, 3)
    assert req.residence == "Số 9 Đội Cấn, Ba Đình, Hà Nội"
    assert demo.client("hcm").get(f"/lifecycle/requests/{req.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_external_ca_package_and_forms_by_hand(demo, monkeypatch):
    monkeypatch.setenv("KYSO_CA_EXCHANGE", "external")
    person = demo.user("thuebao").person
    badinh, cntt, leader = demo.client("badinh"), demo.client("cntt"), demo.client("lanhdao")
    badinh.post("/lifecycle/requests/new/", {"kind": "person", "person": person.pk})
    req = in_state(IssuanceRequest.objects.get(full_name=person.full_name), RequestState.VALID)
    cntt.post("/lifecycle/lists/", {"op": "compile_approval"})
    approval = req.__class__.objects.get(pk=req.pk).approval_list
    assert "/tasks/lifecycle.list/approve/" in leader.get("/").content.decode(), \
        "the leader's home page shows the list to approve"
    leader.post("/lifecycle/lists/", {"op": "approve", "list": approval.pk})
    cntt.post("/lifecycle/lists/", {"op": "send_to_ca", "list": approval.pk})
    package = cntt.get(f"/lifecycle/lists/{approval.pk}/export.zip")
    assert package.status_code == 200
    assert "mau-02-danh-sach.xlsx" in zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    assert badinh.get(f"/lifecycle/lists/{approval.pk}/export.zip").status_code == 404
    issued = ExternalCa().issue(ec.generate_private_key(ec.SECP256R1()).public_key(), person.full_name, person.email)
    cntt.post("/lifecycle/ca-import/", {"file": SimpleUploadedFile("issued.pem", pem(issued))})
    req.refresh_from_db()
    assert req.state == "issued"
    for kind in ("03", "04"):
        for fmt in ("pdf", "docx"):
            assert cntt.get(f"/lifecycle/forms/{kind}/{req.pk}.{fmt}").status_code == 200
    cntt.post(f"/lifecycle/requests/{req.pk}/handover_unit/")
    page = cntt.get(f"/lifecycle/requests/{req.pk}/").content.decode()
    assert f"/lifecycle/requests/{req.pk}/signed-record/" in page
    assert f"/lifecycle/requests/{req.pk}/signed-record/" not in badinh.get(f"/lifecycle/requests/{req.pk}/").content.decode()
    scan = cntt.get(f"/lifecycle/forms/03/{req.pk}.pdf").content
    cntt.post(f"/lifecycle/requests/{req.pk}/signed-record/", {"file": SimpleUploadedFile("ky.pdf", scan)})
    assert Record.objects.filter(subject_id=req.pk, form="03", title__contains="đã ký").exists()
    badinh.post(f"/lifecycle/requests/{req.pk}/signed-record/", {"file": SimpleUploadedFile("ky.pdf", scan)})
    assert Record.objects.filter(subject_id=req.pk, form="03", title__contains="đã ký").count() == 1
    cert = req.certificates.get()
    badinh.post(f"/lifecycle/certificates/{cert.pk}/", {"op": "revoke", "reason": "d", "detail": "Nghỉ hưu"})
    rev = RevocationRequest.objects.get(certificate=cert)
    cntt.post(f"/lifecycle/revocations/{rev.pk}/", {"op": "send_to_ca"})
    rev.refresh_from_db()
    assert rev.state == "sent_to_ca"
    cntt.post(f"/lifecycle/revocations/{rev.pk}/", {"op": "ca_confirmed"})
    rev.refresh_from_db()
    assert rev.state == "revoked"
    form05 = badinh.get(f"/lifecycle/forms/05/{rev.pk}.pdf")
    assert form05.status_code == 200 and form05["Content-Type"] == "application/pdf"
    assert demo.client("hcm").get(f"/lifecycle/forms/05/{rev.pk}.pdf").status_code == 404
