"""`POST /api/v1/sign`: a person signs with the key on his own device (PIN); a clerk signs with his
unit's seal; nobody signs with somebody else's certificate."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki.issuance import SubjectInfo
from kyso.pki.testing import TEST_PIN, make_signer
from kyso.signing.verify import verify_bytes


@pytest.fixture
def device_cert(demo, pki):
    person = demo.user("thuebao").person
    with acting_as(label="t"), transaction.atomic():
        issued, _key = make_signer("person", SubjectInfo(common_name=person.full_name, email=person.email,
                                                          title=person.title), key_spec="rsa2048", in_token=True)
    return issued


def device_cert_person():
    from kyso.accounts.models import User

    return User.objects.get(username="thuebao").person


def _appearance_has_image(pdf: bytes) -> bool:
    """Whether the signature widget's appearance draws an image (through nested form XObjects)."""
    import io

    from pypdf import PdfReader

    def walk(xobj) -> bool:
        for sub in ((xobj.get("/Resources") or {}).get("/XObject") or {}).values():
            sub = sub.get_object()
            if sub.get("/Subtype") == "/Image" or (sub.get("/Subtype") == "/Form" and walk(sub)):
                return True
        return False

    annots = [a.get_object() for a in PdfReader(io.BytesIO(pdf)).pages[-1].get("/Annots") or []]
    return any(walk(a["/AP"]["/N"].get_object()) for a in annots if "/AP" in a)


def test_subscriber_signs_with_his_device(api, device_cert, dossier_xml, one_page_pdf):
    client = api("thuebao")
    resp = client.post("/api/v1/sign", {"file": SimpleUploadedFile("hoso.xml", dossier_xml),
                                        "certificate": device_cert.serial, "pin": TEST_PIN}, format="multipart")
    assert resp.status_code == 200, resp.content[:300]
    report = verify_bytes(resp.content)
    assert report.indication == "TOTAL_PASSED" and report.signatures[0].level == "B-T"
    # his archived handwritten-signature image goes into the appearance when he uploads none
    from kyso.signing import images

    with acting_as(label="t"), transaction.atomic():
        images.save_signature_image(device_cert_person(), images.signature_png("thuebao"))
    resp = client.post("/api/v1/sign", {"file": SimpleUploadedFile("qd.pdf", one_page_pdf),
                                        "certificate": device_cert.serial, "pin": TEST_PIN, "appearance": "leader",
                                        "title": "Chuyên viên"}, format="multipart")
    assert resp.status_code == 200 and verify_bytes(resp.content).indication == "TOTAL_PASSED"
    assert _appearance_has_image(resp.content)
    wrong = client.post("/api/v1/sign", {"file": SimpleUploadedFile("hoso.xml", dossier_xml),
                                         "certificate": device_cert.serial, "pin": "000000"}, format="multipart")
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "signing.device.locked"


def test_nobody_signs_with_somebody_elses_certificate(api, device_cert, dossier_xml):
    resp = api("badinh").post("/api/v1/sign", {"file": SimpleUploadedFile("hoso.xml", dossier_xml),
                                               "certificate": device_cert.serial, "pin": TEST_PIN}, format="multipart")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "signing.certificate.not_yours"


def test_clerk_signs_with_the_unit_seal_and_others_cannot(api, demo, dossier_xml):
    resp = api("vanthu.bd").post("/api/v1/sign", {"file": SimpleUploadedFile("hoso.xml", dossier_xml), "seal": True},
                                 format="multipart")
    assert resp.status_code == 200, resp.content[:300]
    report = verify_bytes(resp.content)
    assert report.indication == "TOTAL_PASSED"
    assert report.signatures[0].signer == demo.user("vanthu.bd").role_assignments.first().unit.name
    resp = api("thuebao").post("/api/v1/sign", {"file": SimpleUploadedFile("hoso.xml", dossier_xml), "seal": True},
                               format="multipart")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "signing.seal.not_clerk"
