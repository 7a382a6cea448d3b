import base64
import hashlib
import re

import pytest

PIN = "246810"


@pytest.fixture
def leader(demo):
    return demo.user("lanhdao")


@pytest.fixture
def app_credential(leader, pki, as_user):
    from kyso.mobile.services import enrol_credential

    with as_user(leader):
        return enrol_credential(leader, channel="app", pin=PIN, key_spec="rsa2048")


@pytest.fixture
def sim_credential(leader, pki, as_user):
    from kyso.mobile.services import enrol_credential

    with as_user(leader):
        return enrol_credential(leader, channel="sim", pin=PIN, msisdn="0912 345 678", key_spec="rsa2048")


def digest(text: str = "văn bản") -> bytes:
    return hashlib.sha256(text.encode()).digest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def verify_raw(cert, signature: bytes, dgst: bytes) -> None:
    """Check a raw signature over a digest with the certificate's public key (raises when wrong)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

    pub = cert.public_key()
    if isinstance(pub, ec.EllipticCurvePublicKey):
        pub.verify(signature, dgst, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    else:
        pub.verify(signature, dgst, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))


def last_otp() -> str:
    from kyso.notify.models import Notification

    body = Notification.objects.filter(topic="mobile.otp").latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)
