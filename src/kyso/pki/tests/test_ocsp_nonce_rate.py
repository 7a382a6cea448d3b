"""A nonce costs the responder a fresh signature, so one address may have only KYSO_OCSP_NONCE_RATE_PER_MINUTE of
them answered a minute; past that it gets the pre-signed answer without the nonce, as RFC 5019 §2.2.1 says a
responder that cannot answer a nonce should (its clients fall back to checking thisUpdate/nextUpdate, §4).

Before: OCSP had no per-address limit, and every request with a nonce was signed afresh (an HSM's signatures spent
by anyone who asks)."""

import datetime as dt
import socket

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki import fastpath
from kyso.pki.testing import make_signer

pytestmark = pytest.mark.django_db


def _request(cert, issuer, nonce: bytes | None) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA256())
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


def _nonce(resp: ocsp.OCSPResponse) -> bytes | None:
    try:
        return resp.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        return None


def _post(client, der: bytes, address: str) -> ocsp.OCSPResponse:
    r = client.post("/pki/ocsp", data=der, content_type="application/ocsp-request", REMOTE_ADDR=address)
    assert r.status_code == 200
    return ocsp.load_der_ocsp_response(r.content)


@pytest.fixture
def signer(pki):
    with acting_as(label="t"), transaction.atomic():
        issued, _key = make_signer()
    return issued.certificate, pki.certificate


def test_past_the_limit_an_address_gets_the_presigned_answer(client, signer, settings):
    settings.KYSO_OCSP_NONCE_RATE_PER_MINUTE = 3
    cert, issuer = signer
    answers = [_post(client, _request(cert, issuer, b"nonce-%02d-0123456789" % i), "192.0.2.7") for i in range(5)]
    assert [_nonce(a) for a in answers[:3]] == [b"nonce-%02d-0123456789" % i for i in range(3)]
    for late in answers[3:]:                  # still a good, signed, fresh answer — only without the nonce
        assert late.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
        assert _nonce(late) is None and late.certificate_status == ocsp.OCSPCertStatus.GOOD
        assert late.serial_number == cert.serial_number
        assert late.next_update_utc > dt.datetime.now(dt.timezone.utc)
    # another address is counted on its own; a request without a nonce is never counted
    assert _nonce(_post(client, _request(cert, issuer, b"another-address-1234"), "198.51.100.9")) is not None
    plain = _post(client, _request(cert, issuer, None), "198.51.100.9")
    assert plain.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL and _nonce(plain) is None


def test_no_limit_when_set_to_zero(client, signer, settings):
    settings.KYSO_OCSP_NONCE_RATE_PER_MINUTE = 0
    cert, issuer = signer
    for i in range(12):
        nonce = b"n-%03d-abcdefghijklmn" % i
        assert _nonce(_post(client, _request(cert, issuer, nonce), "192.0.2.8")) == nonce


def test_behind_a_trusted_proxy_the_client_is_counted_not_the_proxy(client, signer, settings):
    settings.KYSO_OCSP_NONCE_RATE_PER_MINUTE = 1
    settings.KYSO_TRUSTED_PROXIES = ["10.0.0.1"]
    cert, issuer = signer
    for i, who in enumerate(("203.0.113.1", "203.0.113.2", "203.0.113.3")):
        nonce = b"proxied-%02d-abcdefgh" % i
        r = client.post("/pki/ocsp", data=_request(cert, issuer, nonce), content_type="application/ocsp-request",
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=who)
        assert _nonce(ocsp.load_der_ocsp_response(r.content)) == nonce, who


def _lane(raw: bytes, address: str) -> ocsp.OCSPResponse:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(raw)
        theirs.shutdown(socket.SHUT_WR)
        fastpath.serve_connection(ours, address)
        ours.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := theirs.recv(65536):
            out += chunk
    return ocsp.load_der_ocsp_response(out.partition(b"\r\n\r\n")[2])


def test_the_worker_lane_counts_the_same(signer, settings):
    settings.KYSO_OCSP_NONCE_RATE_PER_MINUTE = 2
    cert, issuer = signer
    seen = []
    for i in range(3):
        der = _request(cert, issuer, b"lane-nonce-%02d-abcdef" % i)
        seen.append(_nonce(_lane(b"POST /pki/ocsp HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                                 b"Content-Length: %d\r\n\r\n" % len(der) + der, "192.0.2.55")))
    assert seen[:2] == [b"lane-nonce-00-abcdef", b"lane-nonce-01-abcdef"] and seen[2] is None
