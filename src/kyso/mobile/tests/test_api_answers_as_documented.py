"""Issue 18, item 6: the mobile API answers its credentials and signature requests through serializers, with
exactly the fields the OpenAPI document promises (it promised a request three fields of ten), and checks the
types of its bodies before the domain reads them."""

from kyso.core.testing import documented_fields, undocumented

from .conftest import b64, digest


def _same(openapi, path, method, status, answer):
    """Every key promised, none other — in a page of a list, in each of its rows too."""
    assert undocumented(openapi, path, method, status, answer) == []
    item = answer["results"][0] if "results" in answer else answer
    fields = documented_fields(openapi, path, method, status)
    if "results" in answer:
        assert fields == {"next", "previous", "results"}
        row = openapi["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
        fields = set(_rows(openapi, row))
    assert set(item) == fields


def _rows(openapi, page):
    """The fields of a row of a page (the `results` items' component)."""
    name = page["$ref"].rsplit("/", 1)[-1]
    items = openapi["components"]["schemas"][name]["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
    return openapi["components"]["schemas"][items]["properties"]


def test_credentials_as_documented(api, openapi, app_credential):
    client = api("lanhdao")
    r = client.get("/api/v1/mobile/credentials/")
    assert r.status_code == 200 and r.json()["results"] and r.json()["next"] is None
    _same(openapi, "/api/v1/mobile/credentials/", "get", 200, r.json())
    r = client.get(f"/api/v1/mobile/credentials/{app_credential.credential_id}/")
    _same(openapi, "/api/v1/mobile/credentials/{credential_id}/", "get", 200, r.json())
    assert r.json()["holder"] == "lanhdao" and r.json()["enabled"] is True and r.json()["pin_locked"] is False


def test_requests_as_documented(api, openapi, app_credential):
    client = api("lanhdao")
    r = client.post("/api/v1/mobile/requests/", {"signer": "lanhdao", "hashes": [b64(digest())],
                                                 "display_text": "Ký công văn"}, format="json")
    assert r.status_code == 201, r.content
    _same(openapi, "/api/v1/mobile/requests/", "post", 201, r.json())
    assert r.json()["state"] == "pending" and r.json()["signatures"] == [] and r.json()["signed_document"] is None
    r = client.get("/api/v1/mobile/requests/")
    _same(openapi, "/api/v1/mobile/requests/", "get", 200, r.json())
    r = client.get(f"/api/v1/mobile/requests/{r.json()['results'][0]['id']}/")
    _same(openapi, "/api/v1/mobile/requests/{request_id}/", "get", 200, r.json())


def test_a_body_of_the_wrong_types_is_refused_before_the_domain_reads_it(api, app_credential):
    client = api("lanhdao")
    r = client.post("/api/v1/mobile/requests/", {"signer": "lanhdao", "hashes": "not a list",
                                                 "display_text": "Ký"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_input"
    assert set(r.json()["error"]["fields"]) == {"hashes"}
    r = client.post(f"/api/v1/mobile/credentials/{app_credential.credential_id}/pin/", {"old_pin": ["1"]},
                    format="json")
    assert r.status_code == 400 and set(r.json()["error"]["fields"]) == {"old_pin", "new_pin"}
