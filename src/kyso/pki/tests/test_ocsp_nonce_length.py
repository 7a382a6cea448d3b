"""The OCSP responder takes a nonce of 1 to 32 octets (RFC 8954 §2.1), else answers malformedRequest (security
review, round 2): an empty nonce was accepted and a 10,000-byte one echoed back in an 11.7 KB signed answer, a
fresh signature and an amplified reply for anyone who asks."""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki.testing import make_signer

pytestmark = pytest.mark.django_db


def _ask(client, cert, issuer, nonce):
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256())
    builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    der = builder.build().public_bytes(serialization.Encoding.DER)
    return ocsp.load_der_ocsp_response(client.post("/pki/ocsp", data=der,
                                                   content_type="application/ocsp-request").content)


@pytest.mark.parametrize("size,answered", [(0, False), (1, True), (16, True), (32, True), (33, False),
                                           (10_000, False)])
def test_only_a_nonce_of_1_to_32_octets_is_answered_and_echoed(client, pki, size, answered):
    with acting_as(label="t"), transaction.atomic():
        issued, _key = make_signer()
    resp = _ask(client, issued.certificate, pki.certificate, b"n" * size)
    if not answered:
        assert resp.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
        return
    assert resp.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert resp.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"n" * size
