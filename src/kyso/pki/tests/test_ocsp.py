"""OCSP against the running server, asked by `openssl ocsp`: good, then revoked after `kyso ca revoke`."""

import base64
from urllib.parse import quote

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from django.core.management import call_command
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki import ca as pki_ca
from kyso.pki.testing import make_signer

from .tools import errors, openssl, pkilint, write_chain, write_pem


def _setup(tmp_path):
    with acting_as(label="t"), transaction.atomic():
        issued, _key = make_signer()
    return issued, write_pem(tmp_path, "cert.pem", issued.certificate), write_chain(tmp_path), \
        write_pem(tmp_path, "issuer.pem", pki_ca.get_ca().certificate)


def _ask(url, cert, issuer, chain, *extra):
    target = [] if "-serial" in extra else ["-cert", str(cert)]
    res = openssl("ocsp", "-issuer", str(issuer), *target, "-url", url, "-CAfile", str(chain), *extra, check=False)
    return res.stdout.decode() + res.stderr.decode()


@pytest.mark.django_db(transaction=True)
def test_openssl_ocsp_good_then_revoked(live_server, demo, tmp_path):
    issued, cert, chain, issuer = _setup(tmp_path)
    url = f"{live_server.url}/pki/ocsp"
    out = _ask(url, cert, issuer, chain)
    assert f"{cert}: good" in out and "Response verify OK" in out, out
    call_command("ca", "revoke", "--serial", issued.serial, "--reason", "keyCompromise")
    out = _ask(url, cert, issuer, chain)
    assert f"{cert}: revoked" in out and "Response verify OK" in out, out
    assert "Reason: keyCompromise" in out
    # without a nonce the (cached) response must also say revoked: the cache key changed
    out = _ask(url, cert, issuer, chain, "-no_nonce")
    assert f"{cert}: revoked" in out, out


@pytest.mark.django_db(transaction=True)
def test_nonce_is_echoed_and_unknown_serial(live_server, demo, tmp_path):
    issued, cert, chain, issuer = _setup(tmp_path)
    out = _ask(f"{live_server.url}/pki/ocsp", cert, issuer, chain, "-resp_text")
    assert "WARNING: no nonce" not in out and "Nonce Verify error" not in out and "OCSP Nonce" in out
    # a serial this CA never issued: "unknown" (openssl asked by serial number)
    out = _ask(f"{live_server.url}/pki/ocsp", cert, issuer, chain, "-serial", "0x1234567890abcdef")
    assert "0x1234567890abcdef: unknown" in out, out
    # a certificate of another issuer: we are not authoritative for it
    other = tmp_path / "other.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(tmp_path / "k"), "-subj", "/CN=x",
            "-days", "1", "-out", str(other))
    out = _ask(f"{live_server.url}/pki/ocsp", other, issuer, chain)
    assert "unauthorized" in out, out


def _request_der(cert, issuer, nonce=True):
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1())
    if nonce:
        builder = builder.add_extension(x509.OCSPNonce(b"0123456789abcdef"), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


@pytest.mark.django_db
def test_get_form_malformed_and_unauthorized(client, pki, tmp_path):
    with acting_as(label="t"), transaction.atomic():
        issued, _key = make_signer()
    issuer = pki.certificate
    der = _request_der(issued.certificate, issuer, nonce=False)
    r = client.get("/pki/ocsp/" + quote(base64.b64encode(der).decode(), safe=""))
    resp = ocsp.load_der_ocsp_response(r.content)
    assert resp.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL and resp.certificate_status == ocsp.OCSPCertStatus.GOOD
    path = tmp_path / "resp.der"
    path.write_bytes(r.content)
    assert not errors(pkilint("ocsp_response", path)), pkilint("ocsp_response", path)
    r = client.post("/pki/ocsp", data=b"\x30\x03garbage", content_type="application/ocsp-request")
    assert ocsp.load_der_ocsp_response(r.content).response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    r = client.post("/pki/ocsp", data=b"", content_type="application/ocsp-request")
    assert ocsp.load_der_ocsp_response(r.content).response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    r = client.get("/pki/ocsp/%%%notbase64")
    assert ocsp.load_der_ocsp_response(r.content).response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    # a certificate from a CA that is not ours: we are not authoritative
    from cryptography.hazmat.primitives.asymmetric import ec
    import datetime as dt

    k = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Other CA")])
    other = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(k.public_key()).serial_number(5)
             .not_valid_before(dt.datetime(2025, 1, 1)).not_valid_after(dt.datetime(2030, 1, 1)).sign(k, hashes.SHA256()))
    r = client.post("/pki/ocsp", data=_request_der(other, other), content_type="application/ocsp-request")
    assert ocsp.load_der_ocsp_response(r.content).response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


@pytest.mark.django_db
def test_responses_signed_by_delegated_responder_and_nonce(client, pki):
    with acting_as(label="t"), transaction.atomic():
        issued, _key = make_signer()
    r = client.post("/pki/ocsp", data=_request_der(issued.certificate, pki.certificate), content_type="application/ocsp-request")
    resp = ocsp.load_der_ocsp_response(r.content)
    responder = resp.certificates[0]
    assert x509.ExtendedKeyUsageOID.OCSP_SIGNING in responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert responder.issuer == pki.certificate.subject
    assert resp.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"0123456789abcdef"
    from cryptography.hazmat.primitives.asymmetric import padding

    responder.public_key().verify(resp.signature, resp.tbs_response_bytes, padding.PKCS1v15(), resp.signature_hash_algorithm)
