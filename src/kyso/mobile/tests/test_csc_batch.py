"""A batch under one SAD (CSC API v2, SCAL2): the holder authorises a list of hashes once with PIN and SMS
code, and signHash signs many of them in one call — only those hashes, each once, before the SAD expires;
one audit record per signHash call names every hash it signed."""

import base64
import datetime as dt
import json

import time_machine
from django.utils import timezone

from kyso.audit.models import AuditRecord
from kyso.mobile import scal2, services
from kyso.mobile.models import Authorization

from .conftest import PIN, b64, digest, last_otp, verify_raw
from .test_csc_api import csc  # noqa: F401 - fixture

RSA_SHA256 = "1.2.840.113549.1.1.11"


def _authorize(client, cid, hashes, num=None):
    assert client.post("/csc/v2/credentials/sendOTP", {"credentialID": cid}, format="json").status_code == 204
    r = client.post("/csc/v2/credentials/authorize", {
        "credentialID": cid, "numSignatures": len(hashes) if num is None else num, "hashes": [b64(h) for h in hashes],
        "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": last_otp()}]}, format="json")
    assert r.status_code == 200, r.json()
    return r.json()["SAD"]


def _sign(client, cid, sad, hashes):
    return client.post("/csc/v2/signatures/signHash", {"credentialID": cid, "SAD": sad, "signAlgo": RSA_SHA256,
                                                       "hashes": [b64(h) for h in hashes]}, format="json")


def test_one_sad_signs_a_batch_in_one_call(csc, app_credential):  # noqa: F811
    cid = app_credential.credential_id
    hashes = [digest(f"hồ sơ {i}") for i in range(10)]
    sad = _authorize(csc, cid, hashes)
    r = _sign(csc, cid, sad, hashes)
    assert r.status_code == 200, r.json()
    sigs = [base64.b64decode(s) for s in r.json()["signatures"]]
    assert len(sigs) == 10
    for sig, h in zip(sigs, hashes):
        verify_raw(app_credential.certificate.certificate, sig, h)
    authz = Authorization.objects.get(credential=app_credential)
    assert authz.remaining == 0 and authz.hashes == []
    # one audit record for the call, naming every hash it signed; the consent names the hashes too
    rec = AuditRecord.objects.get(action="mobile.sign_hash", object_type="mobile.authorization",
                                  object_id=str(authz.pk))
    assert sorted(json.loads(rec.after)["signed"]) == sorted(b64(h) for h in hashes)
    consent = AuditRecord.objects.get(action="mobile.authorize", object_type="mobile.authorization",
                                      object_id=str(authz.pk))
    assert sorted(json.loads(consent.after)["hashes"]) == sorted(b64(h) for h in hashes)


def test_a_batch_split_over_calls_counts_down(csc, app_credential):  # noqa: F811
    cid = app_credential.credential_id
    hashes = [digest(f"tờ khai {i}") for i in range(5)]
    sad = _authorize(csc, cid, hashes)
    assert _sign(csc, cid, sad, hashes[:3]).status_code == 200
    assert Authorization.objects.get(credential=app_credential).remaining == 2
    r = _sign(csc, cid, sad, hashes[3:])
    assert r.status_code == 200 and len(r.json()["signatures"]) == 2
    authz = Authorization.objects.get(credential=app_credential)
    assert AuditRecord.objects.filter(action="mobile.sign_hash", object_type="mobile.authorization",
                                      object_id=str(authz.pk)).count() == 2


def test_a_hash_outside_the_list_refuses_the_whole_call(csc, app_credential):  # noqa: F811
    cid = app_credential.credential_id
    hashes = [digest("a"), digest("b"), digest("c")]
    sad = _authorize(csc, cid, hashes)
    r = _sign(csc, cid, sad, [hashes[0], digest("never shown to the holder"), hashes[1]])
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.sad.hash_not_authorized"
    assert "signatures" not in r.json()
    authz = Authorization.objects.get(credential=app_credential)
    assert authz.remaining == 3 and len(authz.hashes) == 3          # nothing was spent
    assert not AuditRecord.objects.filter(action="mobile.sign_hash", object_type="mobile.authorization",
                                          object_id=str(authz.pk)).exists()
    assert _sign(csc, cid, sad, hashes).status_code == 200


def test_the_sad_cannot_sign_more_than_num_signatures(csc, app_credential):  # noqa: F811
    cid = app_credential.credential_id
    h1, h2 = digest("một"), digest("hai")
    sad = _authorize(csc, cid, [h1, h2])
    # the same hash twice in one call is two signatures: one more than the SAD covers for it
    r = _sign(csc, cid, sad, [h1, h1])
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.sad.hash_not_authorized"
    assert _sign(csc, cid, sad, [h1, h2]).status_code == 200
    for again in ([h1], [h2], [h1, h2]):
        r = _sign(csc, cid, sad, again)
        assert r.status_code == 400 and r.json()["error_code"] == "mobile.sad.hash_not_authorized"
    assert Authorization.objects.get(credential=app_credential).remaining == 0


def test_num_signatures_must_match_the_hashes(csc, app_credential):  # noqa: F811
    cid = app_credential.credential_id
    csc.post("/csc/v2/credentials/sendOTP", {"credentialID": cid}, format="json")
    r = csc.post("/csc/v2/credentials/authorize", {
        "credentialID": cid, "numSignatures": 5, "hashes": [b64(digest("x"))],
        "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": last_otp()}]}, format="json")
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.authorize.count"


def test_an_expired_sad_is_refused(csc, app_credential):  # noqa: F811
    cid = app_credential.credential_id
    hashes = [digest("x"), digest("y")]
    sad = _authorize(csc, cid, hashes)
    assert _sign(csc, cid, sad, hashes[:1]).status_code == 200
    with time_machine.travel(timezone.now() + scal2.SAD_TTL + dt.timedelta(seconds=1)):
        r = _sign(csc, cid, sad, hashes[1:])
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.sad.expired"
    assert Authorization.objects.get(credential=app_credential).remaining == 1


def test_a_sad_works_only_with_its_credential_and_pin(csc, app_credential, leader, as_user):  # noqa: F811
    cid = app_credential.credential_id
    h = digest("z")
    sad = _authorize(csc, cid, [h])
    with as_user(leader):
        other = services.enrol_credential(leader, channel="app", pin="135790")
    r = _sign(csc, other.credential_id, sad, [h])
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.sad.invalid"
    forged = sad.split(".")[0] + "." + sad.split(".")[1][::-1]
    r = _sign(csc, cid, forged, [h])
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.sad.invalid"
    assert _sign(csc, cid, sad, [h]).status_code == 200


def test_too_many_hashes_in_one_call(csc, app_credential):  # noqa: F811
    r = _sign(csc, app_credential.credential_id, "a.b", [digest(str(i)) for i in range(scal2.MAX_HASHES + 1)])
    assert r.status_code == 400 and r.json()["error_code"] == "mobile.hash.too_many"


def test_a_token_locked_by_wrong_pins_refuses_an_earlier_sad(csc, app_credential, settings):  # noqa: F811
    settings.KYSO_PIN_MAX_FAILURES = 1
    cid = app_credential.credential_id
    h = digest("trước khi khoá")
    sad = _authorize(csc, cid, [h])
    csc.post("/csc/v2/credentials/sendOTP", {"credentialID": cid}, format="json")
    r = csc.post("/csc/v2/credentials/authorize", {
        "credentialID": cid, "numSignatures": 1, "hashes": [b64(digest("khác"))],
        "authData": [{"id": "PIN", "value": "999999"}, {"id": "OTP", "value": last_otp()}]}, format="json")
    assert r.status_code == 400 and r.json()["error_code"] == "pki.pin.locked"
    r = _sign(csc, cid, sad, [h])
    assert r.status_code == 400 and r.json()["error_code"] == "pki.pin.locked"
    assert Authorization.objects.get(credential=app_credential, remaining=1)


def test_a_one_time_code_authorises_once(csc, app_credential):  # noqa: F811
    cid = app_credential.credential_id
    csc.post("/csc/v2/credentials/sendOTP", {"credentialID": cid}, format="json")
    code = last_otp()
    for text, status, error in (("first", 200, None), ("second", 400, "mobile.otp.missing")):
        r = csc.post("/csc/v2/credentials/authorize", {
            "credentialID": cid, "numSignatures": 1, "hashes": [b64(digest(text))],
            "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": code}]}, format="json")
        assert r.status_code == status and r.json().get("error_code") == error, r.json()
    used = AuditRecord.objects.filter(action="mobile.authorize", object_type="mobile.otpchallenge")
    assert [json.loads(rec.after)["used"] for rec in used] == [True]
