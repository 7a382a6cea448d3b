"""The OCSP responder and the time-stamping unit sign with a key Kyso holds: a certificate of their profile issued
through the CA's API for an outside key (an administrator's act) does not take over, and does not break them."""

import pytest
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki import ca as pki_ca
from kyso.pki import issuance

from .tools import make_csr


@pytest.mark.parametrize("profile", ["ocsp", "tsa"])
def test_an_outside_key_certificate_does_not_replace_the_unit(pki, tmp_path, profile):
    issuing = pki_ca.get_ca()
    before, _key = pki_ca.responder(issuing, profile)
    csr = make_csr(tmp_path, subject="/C=VN/O=Bảo hiểm xã hội Việt Nam/CN=Máy chủ bên ngoài", san=None)
    with acting_as(label="t"), transaction.atomic():
        outside = issuance.issue_from_csr(csr.read_bytes(), profile, 30)
    assert outside.not_before >= before.not_before and outside.key_location == "csr"
    after, key = pki_ca.responder(issuing, profile)
    assert after == before and key is not None
