"""CSC v2 signDoc: Kyso signs whole documents with the holder's HSM key — with a SAD covering each
document's SHA-256, or after the holder confirms on his phone; the results validate."""

import base64
import hashlib

import pytest

from kyso.mobile import services
from kyso.signing.verify import verify_bytes

from .conftest import PIN, b64, last_otp
from .test_csc_api import csc  # noqa: F401 - the logged-in CSC client fixture


@pytest.fixture
def pdf():
    from kyso.mobile.tests.test_pyhanko_csc_client import _one_page_pdf

    return _one_page_pdf()


def test_sign_doc_with_a_sad(csc, app_credential, pdf):  # noqa: F811
    cid = app_credential.credential_id
    csc.post("/csc/v2/credentials/sendOTP", {"credentialID": cid}, format="json")
    r = csc.post("/csc/v2/credentials/authorize", {
        "credentialID": cid, "numSignatures": 1, "hashes": [b64(hashlib.sha256(pdf).digest())],
        "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": last_otp()}]}, format="json")
    sad = r.json()["SAD"]
    body = {"credentialID": cid, "SAD": sad,
            "documents": [{"document": b64(pdf), "signature_format": "P", "conformance_level": "Ades-B-T"}]}
    r = csc.post("/csc/v2/signatures/signDoc", body, format="json")
    assert r.status_code == 200, r.json()
    signed = base64.b64decode(r.json()["DocumentWithSignature"][0])
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED" and report.signatures[0].level == "B-T", report.to_dict()
    # the SAD covered that document once; another document is refused
    body["documents"][0]["document"] = b64(pdf + b"\n%another")
    r = csc.post("/csc/v2/signatures/signDoc", body, format="json")
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.sad.hash_not_authorized"


def test_sign_doc_confirmed_on_the_phone(csc, app_credential, leader, as_user, pdf):  # noqa: F811
    body = {"credentialID": app_credential.credential_id, "operationMode": "A", "description": "Ký Tờ trình 9/TTr",
            "documents": [{"document": b64(pdf), "signature_format": "P", "conformance_level": "Ades-B-B"}]}
    r = csc.post("/csc/v2/signatures/signDoc", body, format="json")
    assert r.status_code == 202
    rid = r.json()["responseID"]
    with as_user(leader):
        services.confirm(rid, leader, PIN, last_otp())
    r = csc.post("/csc/v2/signatures/signPolling", {"responseID": rid}, format="json")
    signed = base64.b64decode(r.json()["DocumentWithSignature"][0])
    assert verify_bytes(signed).indication == "TOTAL_PASSED"


@pytest.mark.parametrize("doc,code", [
    ({"document": "@@", "signature_format": "P"}, "mobile.document.encoding"),
    ({"document": "", "signature_format": "P"}, "mobile.document.empty"),
    ({"document": "aGVsbG8=", "signature_format": "Q"}, "mobile.document.format"),
    ({"document": "aGVsbG8=", "signature_format": "X", "conformance_level": "Ades-B-LT"}, "mobile.document.level"),
])
def test_bad_documents(csc, app_credential, doc, code):  # noqa: F811
    r = csc.post("/csc/v2/signatures/signDoc", {"credentialID": app_credential.credential_id, "SAD": "x.y",
                                                "documents": [doc]}, format="json")
    assert r.status_code == 400 and r.json()["error_code"] == code
