"""The CSC API (v1.0.4.0 and v2): service login, credentials, SCAL2 authorisation with PIN and an SMS
one-time code bound to the exact hashes, signHash, and the asynchronous flow with signPolling."""

import base64

import pytest
from rest_framework.test import APIClient

from kyso.accounts.demo import DEMO_PASSWORD
from kyso.mobile import services

from .conftest import PIN, b64, digest, last_otp, verify_raw


@pytest.fixture
def csc(app_credential, leader):
    client = APIClient()
    basic = base64.b64encode(f"{leader.username}:{DEMO_PASSWORD}".encode()).decode()
    r = client.post("/csc/v2/auth/login", {}, format="json", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert r.status_code == 200, r.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {r.json()['access_token']}")
    return client


@pytest.mark.parametrize("version,specs", [("v1", "1.0.4.0"), ("v2", "2.0.0.2")])
def test_info_is_public(db, version, specs):
    r = APIClient().post(f"/csc/{version}/info", {}, format="json")
    assert r.status_code == 200
    assert r.json()["specs"] == specs and "signatures/signHash" in r.json()["methods"]


def test_login_needs_the_right_password(leader):
    basic = base64.b64encode(f"{leader.username}:wrong".encode()).decode()
    r = APIClient().post("/csc/v2/auth/login", {}, format="json", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert r.status_code == 401 and r.json()["error_code"] == "mobile.auth.invalid"
    r = APIClient().post("/csc/v2/credentials/list", {}, format="json")
    assert r.status_code == 401 and r.json()["error"] == "invalid_token"


def test_wrong_passwords_lock_the_account(leader, settings):
    basic = base64.b64encode(f"{leader.username}:wrong".encode()).decode()
    for _ in range(settings.KYSO_LOGIN_MAX_FAILURES):
        APIClient().post("/csc/v2/auth/login", {}, format="json", HTTP_AUTHORIZATION=f"Basic {basic}")
    # the same throttle as the login page: this address is paused for this account (django-axes)
    good = base64.b64encode(f"{leader.username}:{DEMO_PASSWORD}".encode()).decode()
    r = APIClient().post("/csc/v2/auth/login", {}, format="json", HTTP_AUTHORIZATION=f"Basic {good}")
    assert r.status_code == 401


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_list_and_info(csc, app_credential, version):
    r = csc.post(f"/csc/{version}/credentials/list", {}, format="json")
    assert r.json()["credentialIDs"] == [app_credential.credential_id]
    r = csc.post(f"/csc/{version}/credentials/info", {"credentialID": app_credential.credential_id,
                                                     "certificates": "chain", "certInfo": True}, format="json")
    info = r.json()
    assert r.status_code == 200 and info["SCAL"] == "2" and info["key"]["len"] == 2048
    assert "1.2.840.113549.1.1.11" in info["key"]["algo"]
    assert len(info["cert"]["certificates"]) == 3       # signer, issuing CA, root
    assert info["cert"]["serialNumber"] == app_credential.certificate.serial.lstrip("0")
    if version == "v1":
        assert info["authMode"] == "explicit" and info["OTP"]["presence"] == "true"
    else:
        assert info["auth"]["expression"] == "PIN AND OTP"


def test_v1_authorize_then_sign_hash(csc, app_credential):
    cid = app_credential.credential_id
    h1, h2 = digest("một"), digest("hai")
    assert csc.post("/csc/v1/credentials/sendOTP", {"credentialID": cid}, format="json").status_code == 204
    r = csc.post("/csc/v1/credentials/authorize", {"credentialID": cid, "numSignatures": 2, "hash": [b64(h1), b64(h2)],
                                                   "PIN": PIN, "OTP": last_otp()}, format="json")
    assert r.status_code == 200, r.json()
    sad = r.json()["SAD"]
    r = csc.post("/csc/v1/signatures/signHash", {"credentialID": cid, "SAD": sad, "hash": [b64(h1)],
                                                 "hashAlgo": "2.16.840.1.101.3.4.2.1",
                                                 "signAlgo": "1.2.840.113549.1.1.1"}, format="json")
    assert r.status_code == 200, r.json()
    verify_raw(app_credential.certificate.certificate, base64.b64decode(r.json()["signatures"][0]), h1)
    # the same hash again: each authorised hash is signed once
    r = csc.post("/csc/v1/signatures/signHash", {"credentialID": cid, "SAD": sad, "hash": [b64(h1)],
                                                 "signAlgo": "1.2.840.113549.1.1.11"}, format="json")
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.sad.hash_not_authorized"
    # a hash the holder never saw
    r = csc.post("/csc/v1/signatures/signHash", {"credentialID": cid, "SAD": sad, "hash": [b64(digest("ba"))],
                                                 "signAlgo": "1.2.840.113549.1.1.11"}, format="json")
    assert r.json()["error_code"] == "mobile.sad.hash_not_authorized"
    r = csc.post("/csc/v1/signatures/signHash", {"credentialID": cid, "SAD": sad, "hash": [b64(h2)],
                                                 "signAlgo": "1.2.840.113549.1.1.11"}, format="json")
    assert r.status_code == 200


def test_v2_authorize_with_auth_data(csc, app_credential, tmp_path):
    cid = app_credential.credential_id
    h = digest("v2")
    csc.post("/csc/v2/credentials/sendOTP", {"credentialID": cid}, format="json")
    r = csc.post("/csc/v2/credentials/authorize", {
        "credentialID": cid, "numSignatures": 1, "hashes": [b64(h)], "hashAlgorithmOID": "2.16.840.1.101.3.4.2.1",
        "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": last_otp()}]}, format="json")
    assert r.status_code == 200, r.json()
    r = csc.post("/csc/v2/signatures/signHash", {"credentialID": cid, "SAD": r.json()["SAD"], "hashes": [b64(h)],
                                                 "hashAlgorithmOID": "2.16.840.1.101.3.4.2.1",
                                                 "signAlgo": "1.2.840.113549.1.1.11"}, format="json")
    assert r.status_code == 200
    sig = base64.b64decode(r.json()["signatures"][0])
    verify_raw(app_credential.certificate.certificate, sig, h)
    _openssl_verifies(app_credential.certificate.certificate, sig, h, tmp_path)


def _openssl_verifies(cert, sig: bytes, dgst: bytes, tmp_path) -> None:
    """An independent check: openssl verifies the raw signature over the digest with the certificate's key."""
    import shutil
    import subprocess

    from cryptography.hazmat.primitives import serialization

    if not shutil.which("openssl"):
        pytest.fail("openssl is needed for the cross-check")
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "sig.bin").write_bytes(sig)
    (tmp_path / "dgst.bin").write_bytes(dgst)
    out = subprocess.run(["openssl", "pkeyutl", "-verify", "-certin", "-inkey", str(tmp_path / "cert.pem"),
                          "-pkeyopt", "digest:sha256", "-in", str(tmp_path / "dgst.bin"),
                          "-sigfile", str(tmp_path / "sig.bin")], capture_output=True, text=True)
    assert out.returncode == 0 and "Verified Successfully" in out.stdout, out.stdout + out.stderr


def test_wrong_pin_and_wrong_otp(csc, app_credential):
    cid = app_credential.credential_id
    csc.post("/csc/v1/credentials/sendOTP", {"credentialID": cid}, format="json")
    otp = last_otp()
    bad_otp = "000000" if otp != "000000" else "111111"
    r = csc.post("/csc/v1/credentials/authorize", {"credentialID": cid, "hash": [b64(digest())], "PIN": PIN,
                                                   "OTP": bad_otp}, format="json")
    assert r.status_code == 400 and r.json()["error"] == "invalid_otp"
    r = csc.post("/csc/v1/credentials/authorize", {"credentialID": cid, "hash": [b64(digest())], "PIN": "999999",
                                                   "OTP": otp}, format="json")
    assert r.status_code == 400 and r.json()["error"] == "invalid_pin"
    app_credential.refresh_from_db()
    assert app_credential.failed_pins == 1
    # a forged SAD
    r = csc.post("/csc/v1/signatures/signHash", {"credentialID": cid, "SAD": "abc.def", "hash": [b64(digest())],
                                                 "signAlgo": "1.2.840.113549.1.1.11"}, format="json")
    assert r.json()["error_code"] == "mobile.sad.invalid"


def test_authorize_without_otp_or_hashes(csc, app_credential):
    cid = app_credential.credential_id
    r = csc.post("/csc/v1/credentials/authorize", {"credentialID": cid, "hash": [b64(digest())], "PIN": PIN},
                 format="json")
    assert r.json()["error_code"] == "mobile.authorize.factors"
    r = csc.post("/csc/v1/credentials/authorize", {"credentialID": cid, "PIN": PIN, "OTP": "123456"}, format="json")
    assert r.json()["error_code"] == "mobile.hash.missing"


def test_someone_elses_credential(csc, demo, pki, as_user):
    other = demo.user("giamdoc.hn")
    with as_user(other):
        cred = services.enrol_credential(other, channel="app", pin=PIN)
    r = csc.post("/csc/v2/credentials/info", {"credentialID": cred.credential_id}, format="json")
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.credential.not_found"


def test_asynchronous_sign_hash_and_polling(csc, app_credential, leader, as_user):
    cid = app_credential.credential_id
    h = digest("async")
    r = csc.post("/csc/v2/signatures/signHash", {"credentialID": cid, "hashes": [b64(h)], "operationMode": "A",
                                                 "signAlgo": "1.2.840.113549.1.1.11",
                                                 "description": "Ký Tờ trình 05/TTr-CNTT"}, format="json")
    assert r.status_code == 202
    rid = r.json()["responseID"]
    assert csc.post("/csc/v2/signatures/signPolling", {"responseID": rid}, format="json").status_code == 202
    with as_user(leader):
        services.confirm(rid, leader, PIN, last_otp())            # the holder confirms on his phone
    r = csc.post("/csc/v2/signatures/signPolling", {"responseID": rid}, format="json")
    assert r.status_code == 200
    verify_raw(app_credential.certificate.certificate, base64.b64decode(r.json()["signatures"][0]), h)


def test_asynchronous_refused(csc, app_credential, leader, as_user):
    r = csc.post("/csc/v2/signatures/signHash", {"credentialID": app_credential.credential_id,
                                                 "hashes": [b64(digest())], "operationMode": "A",
                                                 "signAlgo": "1.2.840.113549.1.1.11"}, format="json")
    rid = r.json()["responseID"]
    with as_user(leader):
        services.refuse(rid, leader)
    r = csc.post("/csc/v2/signatures/signPolling", {"responseID": rid}, format="json")
    assert r.status_code == 400 and r.json()["error"] == "access_denied"


def test_malformed_body(csc):
    r = csc.post("/csc/v2/credentials/info", "not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
