"""Holders' tokens stay logged in per process, in a bounded pool: past KYSO_PKCS11_MAX_SESSIONS the least
recently used token is logged out, and its next use logs in again — with the PIN checked (and a wrong one
counted) by the token as before."""

import base64

import pytest

from kyso.core.errors import Forbidden
from kyso.mobile import scal2, services
from kyso.pki import keystore

from .conftest import PIN, digest, last_otp, verify_raw

RSA_SHA256 = "1.2.840.113549.1.1.11"


def _sign_one(cred, text):
    h = digest(text)
    scal2.send_otp(cred)
    sad, _ttl = scal2.authorize(cred, pin=PIN, otp=last_otp(), hashes=[h])
    sig = scal2.sign_hash(cred, sad=sad, hashes=[base64.b64encode(h).decode()], hash_algo=None, sign_algo=RSA_SHA256)
    verify_raw(cred.certificate.certificate, sig[0], h)


def test_a_bounded_pool_of_logged_in_tokens(leader, pki, as_user, settings):
    settings.KYSO_PKCS11_MAX_SESSIONS = 1
    with as_user(leader):
        first = services.enrol_credential(leader, channel="app", pin=PIN)
        second = services.enrol_credential(leader, channel="app", pin=PIN)
        for cred, text in ((first, "1"), (second, "2"), (first, "3"), (second, "4")):
            _sign_one(cred, text)
            assert list(keystore._P11_SESSIONS) == [(settings.KYSO_PKCS11_MODULE, cred.token_label)]
        # `second` is logged in: `first` logs in again, and a wrong PIN is refused by its token and counted
        scal2.send_otp(first)
        with pytest.raises(Forbidden) as refused:
            scal2.authorize(first, pin="999999", otp=last_otp(), hashes=[digest("5")])
        assert refused.value.code == "mobile.pin.wrong"
    first.refresh_from_db()
    assert first.failed_pins == 1
