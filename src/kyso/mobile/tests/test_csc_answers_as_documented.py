"""Issue 18, item 6: the CSC API (/csc/v1/ and /csc/v2/) takes and answers DRF serializers the OpenAPI document
names — it documented every body and every answer as "an object" — and what it answers, nested objects included,
is what the document promises for that operation and status: no key it does not name, none it requires missing.
Where v1 and v2 differ on one path (credentials/info), the answer fits exactly one of the documented shapes."""

import pytest

from kyso.core.testing import documented_fields, undocumented

from .conftest import PIN, b64, digest, last_otp
from .test_csc_api import csc  # noqa: F401 - the logged-in CSC client

BARE = {"type": "object", "additionalProperties": {}}


def _as_documented(openapi, operation, r, status=200):
    assert r.status_code == status, r.content
    path = f"/csc/{{version}}/{operation}"
    assert set(r.json()) <= documented_fields(openapi, path, "post", status)
    assert undocumented(openapi, path, "post", status, r.json()) == []
    return r.json()


@pytest.fixture
def ec_credential(leader, pki, as_user):
    from kyso.mobile.services import enrol_credential

    with as_user(leader):
        return enrol_credential(leader, channel="app", pin=PIN, key_spec="p256")


def test_no_csc_body_or_answer_is_a_bare_object(openapi):
    bodies = []
    for path, ops in openapi["paths"].items():
        for method, op in ops.items() if path.startswith("/csc/") else ():
            request = op.get("requestBody", {}).get("content", {}).get("application/json")
            bodies += [(f"{method} {path} request", request["schema"])] if request else []
            bodies += [(f"{method} {path} {status}", answer["content"]["application/json"]["schema"])
                       for status, answer in op["responses"].items()
                       if status.startswith("2") and "application/json" in answer.get("content", {})]
    assert len(bodies) > 20
    assert [where for where, body in bodies if body == BARE or "$ref" not in body] == []
    for name, component in openapi["components"]["schemas"].items():
        assert not (name.startswith("Csc") and component == BARE), name


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_info_as_documented(openapi, db, version):
    from rest_framework.test import APIClient

    info = _as_documented(openapi, "info", APIClient().post(f"/csc/{version}/info", {}, format="json"))
    assert ("signAlgorithms" in info) == (version == "v2")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_credentials_as_documented(csc, openapi, app_credential, ec_credential, version):  # noqa: F811
    asked = {"certificates": "chain", "certInfo": True, "credentialInfo": True}
    listed = _as_documented(openapi, "credentials/list", csc.post(f"/csc/{version}/credentials/list", asked,
                                                                  format="json"))
    assert ("credentialInfos" in listed) == (version == "v2")
    for cred in (app_credential, ec_credential):
        for asked in ({"certificates": "chain", "certInfo": True}, {"certificates": "none"}):
            info = _as_documented(openapi, "credentials/info", csc.post(
                f"/csc/{version}/credentials/info", {"credentialID": cred.credential_id, **asked}, format="json"))
            assert ("certificates" in info["cert"]) == (asked["certificates"] != "none")
            assert ("issuerDN" in info["cert"]) == ("certInfo" in asked)
            assert ("curve" in info["key"]) == (cred is ec_credential)
            assert ("auth" in info) == (version == "v2") and ("authMode" in info) == (version == "v1")


def test_sign_hash_as_documented(csc, openapi, app_credential):  # noqa: F811
    cid, h = app_credential.credential_id, b64(digest("tài liệu"))
    assert csc.post("/csc/v2/credentials/sendOTP", {"credentialID": cid}, format="json").status_code == 204
    sad = _as_documented(openapi, "credentials/authorize", csc.post("/csc/v2/credentials/authorize", {
        "credentialID": cid, "numSignatures": 1, "hashes": [h],
        "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": last_otp()}]}, format="json"))["SAD"]
    body = {"credentialID": cid, "SAD": sad, "hashes": [h], "signAlgo": "1.2.840.113549.1.1.11"}
    _as_documented(openapi, "signatures/signHash", csc.post("/csc/v2/signatures/signHash", body, format="json"))
    refused = _as_documented(openapi, "signatures/signHash", csc.post("/csc/v2/signatures/signHash", body,
                                                                       format="json"), status=400)
    assert refused["error_code"] == "mobile.sad.hash_not_authorized"
    asynchronous = {"credentialID": cid, "hashes": [h], "operationMode": "A", "description": "Ký công văn"}
    waiting = _as_documented(openapi, "signatures/signHash", csc.post("/csc/v2/signatures/signHash", asynchronous,
                                                                      format="json"), status=202)
    _as_documented(openapi, "signatures/signPolling", csc.post("/csc/v2/signatures/signPolling", waiting,
                                                               format="json"), status=202)
