"""An I-VAN retry never makes a second dossier: same key and body → the first dossier; same key with
another body → 409; a refused request does not burn the key."""

from kyso.portal.models import Dossier, IdempotencyKey

from . import helpers as h


def _body(ivan, **extra):
    sub, _issued, _key = ivan
    issued, key = h.holder_certificate("Công ty CP Sao Mai", "MST:0109876543")
    if not sub.registrations.exists():
        h.register_ivan(sub, "0109876543", "Công ty CP Sao Mai")
    return {"procedure": "600", "unit": "HN.BD", "employer": {"tax_code": "0109876543", "name": "Công ty CP Sao Mai"},
            "files": [h.b64file("D02-TS.xml", h.signed(h.d02(tax_code="0109876543", name="Công ty CP Sao Mai"), issued, key))],
            **extra}


def test_retry_answers_with_the_first_dossier(ivan_api, ivan):
    body = _body(ivan)
    first = ivan_api.post("/api/v1/portal/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="efy-2026-000001")
    assert first.status_code == 201, first.json()
    assert first.json()["channel"] == "ivan" and first.json()["submitter_tax_code"] == "0109876543"
    retry = ivan_api.post("/api/v1/portal/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="efy-2026-000001")
    assert retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1


def test_same_key_with_another_body_is_a_conflict(ivan_api, ivan):
    body = _body(ivan)
    assert ivan_api.post("/api/v1/portal/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="efy-2026-000002").status_code == 201
    other = dict(body, unit="HN.CG")
    r = ivan_api.post("/api/v1/portal/dossiers/", other, format="json", HTTP_IDEMPOTENCY_KEY="efy-2026-000002")
    assert r.status_code == 409 and r.json()["error"]["code"] == "portal.idempotency.key_reused"
    assert Dossier.objects.count() == 1


def test_ivan_needs_a_key_and_an_employer(ivan_api, ivan):
    body = _body(ivan)
    r = ivan_api.post("/api/v1/portal/dossiers/", body, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "portal.idempotency.key_required"
    r = ivan_api.post("/api/v1/portal/dossiers/", dict(body, employer=None), format="json", HTTP_IDEMPOTENCY_KEY="short")
    assert r.status_code == 400


def test_refused_request_does_not_burn_the_key(ivan_api, ivan):
    body = _body(ivan)
    bad = dict(body, files=[h.b64file("D02-TS.xml", h.d02())])  # unsigned
    r = ivan_api.post("/api/v1/portal/dossiers/", bad, format="json", HTTP_IDEMPOTENCY_KEY="efy-2026-000003")
    assert r.status_code == 400
    assert not IdempotencyKey.objects.exists()
    r = ivan_api.post("/api/v1/portal/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="efy-2026-000003")
    assert r.status_code == 201


def test_keys_are_per_client(ivan_api, ivan, employer_api, signed_600):
    assert ivan_api.post("/api/v1/portal/dossiers/", _body(ivan), format="json",
                         HTTP_IDEMPOTENCY_KEY="shared-key-0001").status_code == 201
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json",
                          HTTP_IDEMPOTENCY_KEY="shared-key-0001")
    assert r.status_code == 201
    assert Dossier.objects.count() == 2
