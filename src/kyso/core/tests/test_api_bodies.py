"""Issue 16, findings 9 and 13 (API half): whatever body a client sends, the API answers a 4xx in its JSON error
shape with a stable code — never a server error, never an HTML page.

- a JSON body that is not an object (a list, a string, a number, null): 400 `body_not_object` on every endpoint;
- an integer beyond 64 bits (2**64) or a non-finite number: 400 `number_out_of_range`;
- malformed JSON, or JSON nested deeper than the parser goes: 400 `malformed_request`;
- a 35 MB JSON body: 413 `request_too_large`, refused before it is read;
- an unknown API address: 404 JSON."""

import json

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["[]", '[{"reason": "x"}]', '"text"', "42", "null", "true"]


def _operations():
    """Every operation of the API that takes a JSON body, with its path parameters filled by a placeholder."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ops = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            if "application/json" in op.get("requestBody", {}).get("content", {}):
                url = path
                for param in op.get("parameters", []):
                    if param["in"] == "path":
                        url = url.replace("{%s}" % param["name"], "v1" if param["name"] == "version" else "1")
                ops.append((method, url))
    return ops


OPERATIONS = _operations()


def _send(client, method, url, body: str, content_type="application/json"):
    return getattr(client, method)(url, data=body, content_type=content_type)


def test_the_schema_lists_the_json_operations():
    assert len(OPERATIONS) > 50


@pytest.fixture
def admin_client(api):
    return api("admin")


def _error(resp) -> dict:
    assert resp["Content-Type"].startswith("application/json"), resp.content[:200]
    body = resp.json()
    return body.get("error") if isinstance(body.get("error"), dict) else {"code": body.get("error_code") or body["error"]}


def test_every_json_endpoint_refuses_a_body_that_is_not_an_object(admin_client):
    failures = []
    for method, url in OPERATIONS:
        for body in NOT_OBJECTS:
            resp = _send(admin_client, method, url, body)
            if resp.status_code >= 500 or not resp["Content-Type"].startswith("application/json"):
                failures.append((method, url, body, resp.status_code))
    assert failures == []


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_not_an_object_has_its_own_code(api, demo, body):
    """Request edit, hold, revocations, lists, SIM subscriptions, e-office drafts: the endpoints the fuzzer broke."""
    client = api("badinh")
    req = client.post("/api/v1/lifecycle/requests/", {"kind": "person", "person": demo.user("thuebao").person.pk},
                      format="json").json()
    for url in (f"/api/v1/lifecycle/requests/{req['id']}/edit/", f"/api/v1/lifecycle/requests/{req['id']}/hold/",
                "/api/v1/lifecycle/revocations/", "/api/v1/lifecycle/lists/", "/api/v1/eoffice/outgoing/"):
        resp = _send(client, "post", url, body)
        assert resp.status_code == 400, (url, resp.status_code, resp.content[:300])
        assert _error(resp)["code"] == "body_not_object", (url, resp.json())
    resp = _send(api("cntt"), "post", "/api/v1/sims/subscriptions/", body)
    assert resp.status_code == 400 and _error(resp)["code"] == "body_not_object"


@pytest.mark.parametrize("number", [str(2**64), str(-(2**64)), "1" + "0" * 400, "1e400", "-1e999"])
def test_numbers_beyond_64_bits(api, number):
    client = api("cntt")
    for url, template in (("/api/v1/lifecycle/lists/", '{"approval": true, "requests": [%s]}'),
                          ("/api/v1/lifecycle/certificates/bulk-revoke/", '{"certificates": [%s], "reason": "a"}'),
                          ("/api/v1/lifecycle/requests/", '{"kind": "person", "person": %s}')):
        resp = _send(client, "post", url, template % number)
        assert resp.status_code == 400, (url, resp.status_code, resp.content[:300])
        assert _error(resp)["code"] == "number_out_of_range"


@pytest.mark.parametrize("body", ['{"kind": ', "{'kind': 'person'}", '{"a": NaN}', "[" * 100_000, "\xff\xfe"])
def test_malformed_json(api, body):
    resp = _send(api("badinh"), "post", "/api/v1/lifecycle/requests/", body)
    assert resp.status_code == 400 and _error(resp)["code"] == "malformed_request"


def test_malformed_json_everywhere(admin_client):
    bad = [(m, u, r.status_code) for m, u in OPERATIONS
           if (r := _send(admin_client, m, u, '{"broken": ')).status_code >= 500
           or not r["Content-Type"].startswith("application/json")]
    assert bad == []


def test_a_35_mb_body_is_413_json(api):
    body = json.dumps({"reason": "x" * (35 * 1024 * 1024)})
    for client in (api("badinh"), Client()):
        resp = _send(client, "post", "/api/v1/lifecycle/requests/", body)
        assert resp.status_code == 413, resp.status_code
        error = _error(resp)
        assert error["code"] == "request_too_large" and "MB" in error["message"]


def test_an_unknown_api_address_is_404_json(api):
    resp = api("badinh").get("/api/v1/no-such-thing/")
    assert resp.status_code == 404 and _error(resp)["code"] == "not_found"
