"""Issue 17, point 8 — the two calls around the signing helper (`browser_signing`): only a submitter prepares; an
answer that is not the certificate's signature of exactly what was prepared is refused and changes nothing; a
prepared signature is used once; a signed form is not signed again; what comes out passes the intake."""

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from kyso.core.context import acting_as
from kyso.portal.certificates import issue_to_holder
from kyso.signing.verify import verify_bytes

from . import helpers as h


@pytest.fixture
def device(employer):
    """The employer's token, here an ECDSA key in memory, and its certificate from the public CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    with acting_as(label="test"), transaction.atomic():
        issued = issue_to_holder(key.public_key(), ca=h.public_ca(), name="Công ty TNHH Ánh Dương",
                                 uid="MST:0101234567", key_location="external:usb")
    cert_b64 = base64.b64encode(issued.certificate.public_bytes(serialization.Encoding.DER)).decode()
    return key, cert_b64


def _web(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(user)
    return client


def _prepare(client, cert_b64, data=None):
    return client.post("/portal/submit/sign/prepare/", {
        "file": SimpleUploadedFile("D02-TS.xml", data or h.d02(), content_type="application/xml"),
        "certificate": cert_b64})


def _complete(client, token, signature: bytes):
    return client.post("/portal/submit/sign/complete/", json.dumps({"id": token, "signature": base64.b64encode(signature).decode()}),
                       content_type="application/json")


def test_only_the_certificates_signature_of_what_was_prepared_completes(employer, device):
    key, cert_b64 = device
    client = _web(employer[0].user)
    prepared = _prepare(client, cert_b64).json()
    digest = base64.b64decode(prepared["digest"])
    assert prepared["key"] == "ec" and len(digest) == 32

    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
    other = ec.generate_private_key(ec.SECP256R1()).sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
    refused = _complete(client, prepared["id"], other)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "portal.sign.bad_signature"
    assert "chữ ký" in refused.json()["error"]["message"]

    good = key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))             # DER, as most tokens' drivers give
    done = _complete(client, prepared["id"], good)
    assert done.status_code == 200, done.content
    signed = base64.b64decode(done.json()["content"])
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert "Ánh Dương" in report.signatures[0].signer

    again = _complete(client, prepared["id"], good)                              # used once
    assert again.status_code == 404 and again.json()["error"]["code"] == "portal.sign.expired"
    twice = _prepare(client, cert_b64, signed)
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "signing.xml.already_signed"


def test_only_a_submitter_prepares_and_bad_input_gets_a_clear_answer(demo, employer, device):
    _key, cert_b64 = device
    officer = _web(demo.user("motcua.bd"))
    assert _prepare(officer, cert_b64).json()["error"]["code"] == "portal.submitter.required"
    client = _web(employer[0].user)
    assert _prepare(client, "không-phải-base64").json()["error"]["code"] == "portal.sign.certificate"
    assert _prepare(client, cert_b64, b"<khong-dong").status_code == 400
    body = client.post("/portal/submit/sign/complete/", "[1, 2]", content_type="application/json")
    assert body.status_code == 400 and body.json()["error"]["code"] == "portal.sign.body"
    assert client.get("/portal/submit/sign/prepare/").status_code == 405


def test_a_signature_with_numbers_too_large_for_the_curve_is_refused_not_a_server_error(employer, device):
    """A DER integer decodes at any size: r = 2**300 made the page answer 500 instead of the refusal."""
    _key, cert_b64 = device
    client = _web(employer[0].user)
    prepared = _prepare(client, cert_b64).json()
    for r, s in ((2 ** 300, 1), (1, 2 ** 256), (0, 1)):
        answer = _complete(client, prepared["id"], encode_dss_signature(r, s))
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "portal.sign.bad_signature"
