"""Issue 16, finding 9 on the CSC API (outside the OpenAPI fuzzer: its bodies are free JSON objects): a
`credentials/authorize` whose numSignatures is not a number or whose authData is not a list was a server error
(ValueError/TypeError, HTTP 500); it is a 400 in the CSC error form with a stable code, and nothing is authorised."""

import pytest

from kyso.mobile.models import Authorization

from .conftest import PIN, b64, digest
from .test_csc_api import csc  # noqa: F401 - the logged-in CSC client


@pytest.mark.parametrize("count", ["abc", [1], {"n": 1}, True])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_num_signatures_not_a_number(csc, app_credential, version, count):  # noqa: F811
    body = {"credentialID": app_credential.credential_id, "numSignatures": count, "PIN": PIN, "OTP": "123456",
            "hash": [b64(digest())], "hashes": [b64(digest())],
            "authData": [{"id": "PIN", "value": PIN}, {"id": "OTP", "value": "123456"}]}
    r = csc.post(f"/csc/{version}/credentials/authorize", body, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["error"] == "invalid_request" and r.json()["error_code"] == "mobile.authorize.count"
    assert not Authorization.objects.exists()


@pytest.mark.parametrize("auth_data", [5, -1, 1.5, True])
def test_auth_data_not_a_list(csc, app_credential, auth_data):  # noqa: F811
    r = csc.post("/csc/v2/credentials/authorize", {"credentialID": app_credential.credential_id,
                                                   "hashes": [b64(digest())], "authData": auth_data}, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["error_code"] == "mobile.authorize.auth_data"
    assert "danh sách" in r.json()["error_description"]
