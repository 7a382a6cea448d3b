"""Test helpers: the CA (created once per test database) and signers with fresh certificates.

    def test_something(pki):
        issued, key = make_signer("person")            # software key
        issued, key = make_signer(in_token=True)       # key generated inside a SoftHSM token
"""

from __future__ import annotations

import itertools
import os

import pytest

from .bootstrap import ensure_ca
from .issuance import SubjectInfo, issue_for_public_key, issue_on_token
from .keystore import init_softhsm_token, pkcs11_store, software_store
from .ocsp import forget as forget_ocsp_state

_counter = itertools.count(1)
TEST_PIN, TEST_SO_PIN = "123456", "12345678"


def default_subject(profile: str) -> SubjectInfo:
    n = next(_counter)
    if profile == "organization":
        return SubjectInfo(common_name=f"BHXH quận Ba Đình {n}", locality="Hà Nội",
                           organizational_unit="BHXH thành phố Hà Nội")
    return SubjectInfo(common_name=f"Nguyễn Văn Thử {n}", email=f"thu{n}@hanoi.vss.gov.vn", title="Chuyên viên",
                       organizational_unit="BHXH quận Ba Đình", locality="Hà Nội")


def make_signer(profile: str = "person", subject: SubjectInfo | None = None, key_spec: str = "p256",
                in_token: bool = False, days: int = 365):
    """A freshly issued certificate and its key handle (software, or inside a new SoftHSM token)."""
    ensure_ca()
    subject = subject or default_subject(profile)
    if in_token:
        label = f"test-{os.urandom(4).hex()}"
        init_softhsm_token(label, TEST_PIN, TEST_SO_PIN)
        issued = issue_on_token(label, TEST_PIN, profile, subject, days, key_spec=key_spec)
        return issued, pkcs11_store(label, TEST_PIN).get(issued.key_location.rsplit("object=", 1)[1])
    label = f"test-signer-{os.urandom(6).hex()}"
    key = software_store().generate(label, key_spec)
    return issue_for_public_key(key.public_key(), profile, subject, days, key_location=f"keystore:{label}"), key


@pytest.fixture(autouse=True)
def _fresh_ocsp_state():
    """Each test has its own database: the OCSP responder must not answer from the previous one's CAs."""
    forget_ocsp_state()
    yield
    forget_ocsp_state()


@pytest.fixture
def pki(db):
    """The issuing CA, ready (root, issuing CA, OCSP responders, TSA)."""
    return ensure_ca()
