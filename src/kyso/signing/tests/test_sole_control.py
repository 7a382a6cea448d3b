"""A key held remotely signs only with the holder's sole control; wrong PINs count per credential everywhere
the PIN is asked and lock it until the IT Center unlocks it (issue 16, finding 2, HIGH).

Before: `POST /api/v1/sign` signed with a remote (CSC) key on the PIN alone, and 25 wrong PINs followed by
the right one still signed."""

import base64
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from kyso.accounts.demo import DEMO_PASSWORD
from kyso.audit.models import AuditRecord
from kyso.core.testing import undocumented
from kyso.mobile.models import SignatureRequest
from kyso.mobile.tests.conftest import PIN, app_credential, last_otp, leader, sim_credential  # noqa: F401 - fixtures
from kyso.pki import pins
from kyso.pki.testing import TEST_PIN
from kyso.signing.tests.test_sign_api import device_cert  # noqa: F401 - fixture
from kyso.signing.verify import verify_bytes

pytestmark = pytest.mark.django_db


def _sign(client, data, serial, **fields):
    return client.post("/api/v1/sign", {"file": SimpleUploadedFile("qd.pdf", data), "certificate": serial, **fields},
                       format="multipart")


def _csc(user):
    client = APIClient()
    basic = base64.b64encode(f"{user.username}:{DEMO_PASSWORD}".encode()).decode()
    r = client.post("/csc/v2/auth/login", {}, format="json", HTTP_AUTHORIZATION=f"Basic {basic}")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {r.json()['access_token']}")
    return client


def _sad_for(csc, cred, data, pin=PIN):
    cid = cred.credential_id
    sent = csc.post("/csc/v2/credentials/sendOTP", {"credentialID": cid}, format="json")
    if sent.status_code != 204:
        return sent
    h = base64.b64encode(hashlib.sha256(data).digest()).decode()
    return csc.post("/csc/v2/credentials/authorize", {"credentialID": cid, "numSignatures": 1, "hashes": [h],
                                                      "hashAlgorithmOID": "2.16.840.1.101.3.4.2.1",
                                                      "authData": [{"id": "PIN", "value": pin},
                                                                   {"id": "OTP", "value": last_otp()}]}, format="json")


def test_the_pin_alone_never_unlocks_a_remote_key(api, app_credential, one_page_pdf):
    r = _sign(api("lanhdao"), one_page_pdf, app_credential.certificate.serial, pin=PIN)
    assert r.status_code == 403 and r.json()["error"]["code"] == "signing.remote.sole_control"
    assert not AuditRecord.objects.filter(action="signing.document.signed").exists()


def test_a_sad_bound_to_this_document_signs_it(api, app_credential, leader, one_page_pdf):
    r = _sad_for(_csc(leader), app_credential, one_page_pdf)
    assert r.status_code == 200, r.json()
    sad = r.json()["SAD"]
    other = one_page_pdf + b"\n% another document\n"
    r = _sign(api("lanhdao"), other, app_credential.certificate.serial, sad=sad)
    assert r.status_code == 403 and r.json()["error"]["code"] == "mobile.sad.hash_not_authorized"
    r = _sign(api("lanhdao"), one_page_pdf, app_credential.certificate.serial, sad=sad)
    assert r.status_code == 200, r.content[:300]
    report = verify_bytes(r.content)
    assert report.signatures[0].signer_serial.lower() == app_credential.certificate.serial.lower()
    assert report.signatures[0].indication == "TOTAL_PASSED"


def test_confirmation_on_the_phone_signs_it(api, app_credential, leader, one_page_pdf, client, openapi):
    r = _sign(api("lanhdao"), one_page_pdf, app_credential.certificate.serial, confirm="phone")
    assert r.status_code == 202, r.content[:300]
    assert r.json()["state"] == "pending"
    assert undocumented(openapi, "/api/v1/sign", "post", 202, r.json()) == []     # the 202 is in the document
    request_id = r.json()["request"]
    client.force_login(leader)
    client.post(f"/mobile/phone/{request_id}/", {"pin": PIN, "otp": last_otp()})
    poll = api("lanhdao").get(r.json()["poll"]).json()
    assert poll["state"] == "signed", poll
    signed = api("lanhdao").get(poll["signed_document"])
    assert signed.status_code == 200
    body = b"".join(signed.streaming_content) if hasattr(signed, "streaming_content") else signed.content
    assert verify_bytes(body).signatures[0].signer_serial.lower() == app_credential.certificate.serial.lower()


def test_wrong_pins_are_counted_per_credential_wherever_asked_then_locked(api, app_credential, leader, client,
                                                                          one_page_pdf):
    csc = _csc(leader)
    assert _sad_for(csc, app_credential, one_page_pdf, pin="000000").status_code == 400      # 1: CSC authorize
    assert _sad_for(csc, app_credential, one_page_pdf, pin="000001").status_code == 400      # 2
    holder = api("lanhdao")
    r = holder.post(f"/api/v1/mobile/credentials/{app_credential.credential_id}/pin/",
                    {"old_pin": "000002", "new_pin": "13572468"}, format="json")             # 3: PIN change
    assert r.status_code == 403
    r = _sign(holder, one_page_pdf, app_credential.certificate.serial, confirm="phone")
    client.force_login(leader)
    client.post(f"/mobile/phone/{r.json()['request']}/", {"pin": "000003", "otp": last_otp()})                  # 4: the phone
    client.post(f"/mobile/phone/{r.json()['request']}/", {"pin": "000004", "otp": last_otp()})                  # 5
    app_credential.refresh_from_db()
    assert app_credential.failed_pins == pins.max_failures() and app_credential.pin_locked
    # the right PIN no longer helps, anywhere
    r = _sad_for(csc, app_credential, one_page_pdf)
    assert r.status_code in (400, 403) and r.json()["error_code"] == "pki.pin.locked"
    # only the IT Center unlocks, audited
    r = api("hanoi").post(f"/api/v1/mobile/credentials/{app_credential.credential_id}/unlock/")
    assert r.status_code in (403, 404)
    r = api("cntt").post(f"/api/v1/mobile/credentials/{app_credential.credential_id}/unlock/")
    assert r.status_code == 200, r.json()
    assert r.json()["pin_locked"] is False
    assert AuditRecord.objects.filter(action="pki.token.pin_unlock", actor="cntt").exists()
    assert _sad_for(csc, app_credential, one_page_pdf).status_code == 200


def test_a_usb_device_locks_after_wrong_pins_and_25_wrong_then_right_does_not_sign(api, device_cert, one_page_pdf):
    client = api("thuebao")
    codes = [_sign(client, one_page_pdf, device_cert.serial, pin="999999").json()["error"]["code"] for _ in range(25)]
    assert codes[:4] == ["signing.device.locked"] * 4 and set(codes[4:]) == {"pki.pin.locked"}
    r = _sign(client, one_page_pdf, device_cert.serial, pin=TEST_PIN)
    assert r.status_code == 403 and r.json()["error"]["code"] == "pki.pin.locked"
    r = api("hanoi").post(f"/api/v1/pki/certificates/{device_cert.serial}/unlock-pin/")
    assert r.status_code == 403
    r = api("cntt").post(f"/api/v1/pki/certificates/{device_cert.serial}/unlock-pin/")
    assert r.status_code == 200, r.json()
    assert _sign(client, one_page_pdf, device_cert.serial, pin=TEST_PIN).status_code == 200


def test_a_sim_credential_never_signs_through_the_document_endpoint_and_counts_its_wrong_pins(
        api, sim_credential, app_credential, one_page_pdf):
    """A PKI SIM signs only after the prompt on the SIM: `POST /api/v1/sign` never signs with it — not on its PIN,
    not on a phone confirmation — and says how it is signed instead; a wrong PIN sent there still counts for that
    credential (not for the holder's other one) and locks it like anywhere else."""
    holder, serial = api("lanhdao"), sim_credential.certificate.serial
    for fields in ({"pin": PIN}, {}, {"confirm": "phone"}):
        r = _sign(holder, one_page_pdf, serial, **fields)
        assert r.status_code == 400, (fields, r.content[:300])
        error = r.json()["error"]
        assert error["code"] == "mobile.document.sim" and "CSC" in error["message"], error
    assert not SignatureRequest.objects.filter(credential=sim_credential).exists()

    codes = [_sign(holder, one_page_pdf, serial, pin=f"00000{i}").json()["error"]["code"]
             for i in range(pins.max_failures())]
    assert codes == ["mobile.pin.wrong"] * (pins.max_failures() - 1) + ["pki.pin.locked"]
    sim_credential.refresh_from_db()
    app_credential.refresh_from_db()
    assert sim_credential.failed_pins == pins.max_failures() and sim_credential.pin_locked
    assert app_credential.failed_pins == 0 and not app_credential.pin_locked
    r = _sign(holder, one_page_pdf, serial, pin=PIN)
    assert r.status_code == 403 and r.json()["error"]["code"] == "pki.pin.locked"
    assert not AuditRecord.objects.filter(action="signing.document.signed").exists()
    assert not SignatureRequest.objects.filter(credential=sim_credential).exists()
