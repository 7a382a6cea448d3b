"""Issue 16, second factors: enrolling a remote-signing credential never chooses where its second factor goes.

An IT officer who typed his own number at enrolment used to receive the holder's initial PIN and — for a remote
key (app) — every one-time code after it: PIN and OTP, the whole SCAL2 authorisation, in the officer's hands,
with no confirmation by the holder or a second officer (which a change of the holder's mobile phone needs,
org.contacts). Now a remote key's codes go to the holder's confirmed mobile phone only (a number typed at
enrolment must be that one), and the initial PIN of any credential — a PKI SIM's too — goes to that phone."""

import pytest

from kyso.mobile import scal2, services
from kyso.mobile.models import Credential
from kyso.notify.models import Notification

OFFICERS_PHONE = "0988777666"


def _to(number: str):
    return Notification.objects.filter(recipient__in=[number, services.normalize_msisdn(number)])


@pytest.mark.parametrize("channel", ["app", "sim"])
def test_the_officer_typing_his_own_number_gets_neither_the_pin_nor_the_codes(api, demo, pki, channel):
    holder = demo.user("giamdoc.hn")
    r = api("cntt").post("/api/v1/mobile/credentials/", {"holder": "giamdoc.hn", "channel": channel,
                                                         "msisdn": OFFICERS_PHONE}, format="json")
    assert not _to(OFFICERS_PHONE).filter(topic="mobile.initial_pin").exists()
    if channel == "app":
        assert r.status_code == 400 and r.json()["error"]["code"] == "mobile.msisdn.not_confirmed"
        assert not Credential.objects.exists()
        return
    # a PKI SIM has its own number (its prompts go there); its PIN goes to the holder's confirmed phone
    assert r.status_code == 201, r.json()
    assert _to(holder.person.phone_mobile).filter(topic="mobile.initial_pin").count() == 1


def test_a_remote_keys_codes_follow_the_holders_confirmed_phone(api, demo, pki, as_user):
    holder = demo.user("giamdoc.hn")
    r = api("cntt").post("/api/v1/mobile/credentials/", {"holder": "giamdoc.hn", "channel": "app",
                                                         "msisdn": holder.person.phone_mobile}, format="json")
    assert r.status_code == 201, r.json()
    cred = Credential.objects.get(credential_id=r.json()["credential_id"])
    assert cred.msisdn == ""
    with as_user(holder):
        scal2.send_otp(cred)
    assert _to(holder.person.phone_mobile).filter(topic="mobile.otp").count() == 1


def test_the_command_line_cannot_aim_a_remote_keys_codes_either(demo, pki, as_user):
    holder = demo.user("giamdoc.hn")
    with as_user(None), pytest.raises(Exception) as exc:
        services.enrol_credential(holder, channel="app", pin="24681012", msisdn=OFFICERS_PHONE)
    assert getattr(exc.value, "code", "") == "mobile.msisdn.not_confirmed"
