"""Administration: the IT Center enrols a holder (the initial PIN goes to the holder alone by SMS),
the holder changes his PIN in the token, an officer disables and re-enables a credential."""

import re

import pytest

from kyso.mobile import services
from kyso.mobile.models import Credential, SignatureRequest

from .conftest import digest, last_otp


def _initial_pin() -> str:
    from kyso.notify.models import Notification

    return re.search(r"\b(\d{6})\b", Notification.objects.filter(topic="mobile.initial_pin").latest("pk").body).group(1)


def test_enrol_change_pin_and_sign(api, demo, pki, as_user):
    it = api("cntt")
    r = it.post("/api/v1/mobile/credentials/", {"holder": "giamdoc.hn", "channel": "app"}, format="json")
    assert r.status_code == 201, r.json()
    cid = r.json()["credential_id"]
    assert "pin" not in r.json()            # the officer never sees the PIN
    holder = api("giamdoc.hn")
    initial = _initial_pin()
    r = holder.post(f"/api/v1/mobile/credentials/{cid}/pin/", {"old_pin": "000000" if initial != "000000" else "1" * 6,
                                                               "new_pin": "13579246"}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "mobile.pin.wrong"
    assert Credential.objects.get(credential_id=cid).failed_pins == 1
    r = holder.post(f"/api/v1/mobile/credentials/{cid}/pin/", {"old_pin": initial, "new_pin": "13579246"},
                    format="json")
    assert r.status_code == 204, r.content
    user = demo.user("giamdoc.hn")
    with as_user(user):
        req = services.request_signature(signer=user, hashes=[digest()], display_text="Ký")
        with pytest.raises(Exception):
            services.confirm(req.pk, user, initial, last_otp())
        assert services.confirm(req.pk, user, "13579246", last_otp()).state == "signed"
    newest = holder.get("/api/v1/mobile/requests/").json()["results"][0]
    assert newest["state"] == "signed" and newest["signatures"]


def test_disable_and_enable(api, app_credential, leader, as_user):
    it = api("cntt")
    cid = app_credential.credential_id
    assert it.post(f"/api/v1/mobile/credentials/{cid}/disable/").json()["enabled"] is False
    with as_user(leader), pytest.raises(Exception) as exc:
        services.request_signature(signer=leader, hashes=[digest()], display_text="Ký", credential=app_credential
                                   .__class__.objects.get(pk=app_credential.pk))
    assert getattr(exc.value, "code", "") == "mobile.credential.disabled"
    assert it.post(f"/api/v1/mobile/credentials/{cid}/enable/").json()["enabled"] is True


@pytest.mark.parametrize("body,code", [
    ({"holder": "nobody", "channel": "app"}, "mobile.holder.unknown"),
    ({"holder": "giamdoc.hn", "channel": "fax"}, "mobile.channel.unknown"),
    ({"holder": "giamdoc.hn", "channel": "sim", "msisdn": "123"}, "mobile.msisdn.invalid"),
])
def test_bad_enrolment(api, demo, pki, body, code):
    r = api("cntt").post("/api/v1/mobile/credentials/", body, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == code
    assert not Credential.objects.exists()


def test_sim_pin_is_changed_on_the_phone(api, sim_credential):
    r = api("lanhdao").post(f"/api/v1/mobile/credentials/{sim_credential.credential_id}/pin/",
                            {"old_pin": "246810", "new_pin": "11223344"}, format="json")
    assert r.status_code == 409 or r.status_code == 400
    assert r.json()["error"]["code"] == "mobile.pin.sim"


def test_a_clerk_asks_a_leader_to_sign(api, app_credential, demo, as_user):
    from .conftest import PIN, b64

    leader = demo.user("lanhdao")
    r = api("vanthu.hn").post("/api/v1/mobile/requests/", {"signer": "lanhdao", "hashes": [b64(digest())],
                                                           "display_text": "Ký Công văn 12/BHXH-VP"}, format="json")
    # vanthu.hn is a clerk in Hanoi: the leader at headquarters is outside his scope (answered as an unknown login)
    assert r.status_code == 404 and r.json()["error"]["code"] == "mobile.holder.unknown"
    assert not SignatureRequest.objects.exists()
    r = api("lanhdao").post("/api/v1/mobile/requests/", {"signer": "lanhdao", "hashes": [b64(digest())],
                                                         "display_text": "Ký Công văn 12/BHXH-VP"}, format="json")
    assert r.status_code == 201 and r.json()["state"] == "pending"
    rid = r.json()["id"]
    with as_user(leader):
        services.confirm(rid, leader, PIN, last_otp())
    r = api("lanhdao").get(f"/api/v1/mobile/requests/{rid}/")
    assert r.json()["state"] == "signed" and len(r.json()["signatures"]) == 1
    assert api("hanoi").get(f"/api/v1/mobile/requests/{rid}/").status_code == 404
