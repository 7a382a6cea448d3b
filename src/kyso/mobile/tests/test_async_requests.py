"""The asynchronous flow: a request waits for the holder's confirmation on his phone, then the
caller collects the signatures; refused and expired requests end so, with a reason."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound
from kyso.mobile import services
from kyso.mobile.models import RequestState

from .conftest import PIN, digest, last_otp, verify_raw


def test_confirmed_on_the_phone(app_credential, leader, demo, as_user):
    clerk = demo.user("vanthu.hn")
    with as_user(clerk):
        req = services.request_signature(signer=leader, hashes=[digest("a"), digest("b")],
                                         display_text="Ký Quyết định số 12/QĐ-BHXH", requested_by=clerk)
    assert req.state == RequestState.PENDING and req.channel == "app"
    assert list(services.pending_for(leader)) == [req]
    with as_user(leader):
        done = services.confirm(req.pk, leader, PIN, last_otp())
    assert done.state == RequestState.SIGNED
    got = services.get_request(req.pk, user=clerk)
    sigs = got.signature_values()
    assert len(sigs) == 2
    verify_raw(got.signer_certificate(), sigs[0], digest("a"))
    verify_raw(got.signer_certificate(), sigs[1], digest("b"))
    assert got.chain_certificates(), "the chain up to the root comes with the request"


def test_wrong_pin_is_counted_and_locks_the_credential(app_credential, leader, as_user):
    from kyso.pki import pins

    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký công văn")
        for _ in range(pins.max_failures()):
            with pytest.raises(Forbidden) as exc:
                services.confirm(req.pk, leader, "000000", last_otp())
            assert exc.value.code in ("mobile.pin.wrong", "pki.pin.locked")
    app_credential.refresh_from_db()
    assert app_credential.pin_locked
    with as_user(leader), pytest.raises(Forbidden) as exc:
        services.confirm(req.pk, leader, PIN, last_otp())
    assert exc.value.code == "pki.pin.locked"


def test_refused(app_credential, leader, as_user):
    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký công văn")
        services.refuse(req.pk, leader)
    got = services.get_request(req.pk)
    assert got.state == RequestState.REFUSED and got.signatures == []
    with as_user(leader), pytest.raises(InvalidState):
        services.confirm(req.pk, leader, PIN, last_otp())


def test_expired_when_nobody_answers(app_credential, leader, as_user):
    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký công văn")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=services.request_ttl().total_seconds() + 5)):
        with as_user(leader):
            got = services.get_request(req.pk)
            assert got.state == RequestState.EXPIRED and got.error_code == "mobile.request.expired"
            with pytest.raises(InvalidState):
                services.confirm(req.pk, leader, PIN, last_otp())


def test_only_the_holder_confirms(app_credential, leader, demo, as_user):
    other = demo.user("hanoi")
    with as_user(leader):
        req = services.request_signature(signer=leader, hashes=[digest()], display_text="Ký công văn")
    with as_user(other), pytest.raises(NotFound):
        services.confirm(req.pk, other, PIN, last_otp())
    with pytest.raises(NotFound):
        services.get_request(req.pk, user=other)


@pytest.mark.parametrize("kwargs,code", [
    ({"hashes": []}, "mobile.hash.missing"),
    ({"hashes": [b"short"]}, "mobile.hash.length"),
    ({"hashes": ["@@not-base64@@"]}, "mobile.hash.encoding"),
    ({"hash_algo": "md5"}, "mobile.hash.algorithm"),
    ({"display_text": "  "}, "mobile.display.missing"),
    ({"display_text": "x" * 501}, "mobile.display.too_long"),
])
def test_bad_requests_are_refused(app_credential, leader, as_user, kwargs, code):
    from kyso.mobile.models import SignatureRequest

    args = {"signer": leader, "hashes": [digest()], "display_text": "Ký", **kwargs}
    with as_user(leader), pytest.raises(InvalidInput) as exc:
        services.request_signature(**args)
    assert exc.value.code == code
    assert not SignatureRequest.objects.exists()


def test_no_credential(demo, pki, as_user):
    user = demo.user("hanoi")
    with as_user(user), pytest.raises(NotFound) as exc:
        services.request_signature(signer=user, hashes=[digest()], display_text="Ký")
    assert exc.value.code == "mobile.credential.none"


def test_revoked_certificate_cannot_sign(app_credential, leader, as_user):
    from django.db import transaction

    from kyso.pki.revocation import revoke

    with as_user(leader), transaction.atomic():
        revoke(app_credential.certificate.serial, "keyCompromise")
    with as_user(leader), pytest.raises(NotFound):
        services.request_signature(signer=leader, hashes=[digest()], display_text="Ký")


def test_enrolment_records_the_certificate_in_the_register(app_credential, leader):
    from kyso.lifecycle.models import Certificate

    cert = Certificate.objects.get(serial=app_credential.certificate.serial)
    assert cert.mobile_sim and cert.subscriber.person == leader.person
    assert app_credential.certificate.key_location.startswith("pkcs11:token=csc-")
