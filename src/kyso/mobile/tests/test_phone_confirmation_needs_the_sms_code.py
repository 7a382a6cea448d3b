"""A remote key signs only with the holder's PIN and a code sent to his phone, also when he confirms a request on
the phone page (issue 16's sole control; letter 346).

Before, a CSC client in asynchronous mode (`signatures/signHash` or `signDoc` with `operationMode: "A"`), the
signing API and the e-office "sign on the phone" step made a request that the holder confirmed on the phone page
with his PIN alone. That page is an ordinary web session opened with the password, so a password and a PIN —
two things the holder knows, nothing he has — drove the remote key, while `credentials/authorize` rightly
refused the PIN without the one-time code. Now the request's SMS carries a code bound to that request and to the
text shown, and the confirmation needs it."""

import base64

import pytest

from kyso.core.errors import Forbidden, InvalidInput, InvalidState
from kyso.mobile import services
from kyso.mobile.models import OtpChallenge, RequestState, SignatureRequest
from kyso.notify.models import Notification

from .conftest import PIN, b64, digest, last_otp
from .test_csc_api import csc  # noqa: F401 - the logged-in CSC client fixture

pytestmark = pytest.mark.django_db


def _ask(leader, as_user, text="Ký Công văn 12/BHXH-TCKT"):
    with as_user(leader):
        return services.request_signature(signer=leader, hashes=[digest(text)], display_text=text)


def test_the_asynchronous_csc_flow_does_not_sign_on_password_and_pin(csc, app_credential, leader, client):
    r = csc.post("/csc/v2/signatures/signHash", {"credentialID": app_credential.credential_id,
                                                 "hashes": [b64(digest("bất kỳ"))], "operationMode": "A",
                                                 "signAlgo": "1.2.840.113549.1.1.11"}, format="json")
    assert r.status_code == 202
    rid = r.json()["responseID"]
    client.force_login(leader)
    page = client.post(f"/mobile/phone/{rid}/", {"pin": PIN}, follow=True).content.decode()
    assert "Nhập mã xác thực đã gửi đến điện thoại" in page
    assert csc.post("/csc/v2/signatures/signPolling", {"responseID": rid}, format="json").status_code == 202
    app_credential.refresh_from_db()
    assert app_credential.failed_pins == 0           # the key was never reached
    client.post(f"/mobile/phone/{rid}/", {"pin": PIN, "otp": last_otp()})
    r = csc.post("/csc/v2/signatures/signPolling", {"responseID": rid}, format="json")
    assert r.status_code == 200 and base64.b64decode(r.json()["signatures"][0])


def test_the_sms_names_what_is_signed_and_goes_to_the_holders_phone(app_credential, leader, as_user):
    req = _ask(leader, as_user)
    sms = Notification.objects.filter(topic="mobile.otp").latest("pk")
    assert sms.recipient == leader.person.phone_mobile
    assert "12/BHXH-TCKT" in sms.body and last_otp() in sms.body
    assert OtpChallenge.objects.get(request=req).expires_at <= req.expires_at


def test_a_code_confirms_its_own_request_once(app_credential, leader, as_user):
    first = _ask(leader, as_user, "Ký Quyết định 1/QĐ")
    code_first = last_otp()
    second = _ask(leader, as_user, "Ký Quyết định 2/QĐ")
    with as_user(leader), pytest.raises(Forbidden) as exc:
        services.confirm(second.pk, leader, PIN, code_first)
    assert exc.value.code == "mobile.otp.wrong"
    with as_user(leader):
        assert services.confirm(first.pk, leader, PIN, code_first).state == RequestState.SIGNED
        assert services.confirm(second.pk, leader, PIN, last_otp()).state == RequestState.SIGNED


def test_the_code_of_a_csc_authorisation_does_not_confirm_a_request(csc, app_credential, leader, as_user):
    req = _ask(leader, as_user)
    assert csc.post("/csc/v2/credentials/sendOTP", {"credentialID": app_credential.credential_id},
                    format="json").status_code == 204
    with as_user(leader), pytest.raises(Forbidden) as exc:
        services.confirm(req.pk, leader, PIN, last_otp())
    assert exc.value.code == "mobile.otp.wrong"
    assert SignatureRequest.objects.get(pk=req.pk).state == RequestState.PENDING


def test_three_wrong_codes_use_it_up_and_a_new_code_can_be_asked_for(app_credential, leader, as_user):
    req = _ask(leader, as_user)
    code = last_otp()
    wrong = "000000" if code != "000000" else "111111"
    with as_user(leader):
        for _ in range(3):
            with pytest.raises(Forbidden):
                services.confirm(req.pk, leader, PIN, wrong)
        with pytest.raises(Forbidden) as exc:
            services.confirm(req.pk, leader, PIN, code)
        assert exc.value.code == "mobile.otp.missing"
        with pytest.raises(InvalidInput) as exc:
            services.confirm(req.pk, leader, PIN, "")
        assert exc.value.code == "mobile.otp.required"
        services.resend_code(req.pk, leader)
        assert services.confirm(req.pk, leader, PIN, last_otp()).state == RequestState.SIGNED


def test_codes_per_request_are_limited(app_credential, leader, as_user):
    req = _ask(leader, as_user)
    with as_user(leader):
        for _ in range(services.CODES_PER_REQUEST - 1):
            services.resend_code(req.pk, leader)
        with pytest.raises(InvalidState) as exc:
            services.resend_code(req.pk, leader)
    assert exc.value.code == "mobile.otp.too_many"


def test_a_holder_without_a_mobile_phone_is_refused_at_once(app_credential, leader, as_user):
    person = leader.person
    person.phone_mobile = ""
    person.save(update_fields=["phone_mobile"])
    with as_user(leader), pytest.raises(InvalidState) as exc:
        services.request_signature(signer=leader, hashes=[digest()], display_text="Ký Tờ trình 4/TTr")
    assert exc.value.code == "mobile.otp.no_phone"
    assert not SignatureRequest.objects.exists()


def test_the_page_asks_for_the_code_and_sends_it_again(client, app_credential, leader, as_user):
    req = _ask(leader, as_user)
    client.force_login(leader)
    page = client.get("/mobile/phone/").content.decode()
    assert 'name="otp"' in page and "Gửi lại mã" in page
    before = OtpChallenge.objects.filter(request=req).count()
    r = client.post(f"/mobile/phone/{req.pk}/", {"resend": "1"}, follow=True)
    assert "Đã gửi mã mới" in r.content.decode()
    assert OtpChallenge.objects.filter(request=req).count() == before + 1
