"""PKI endpoints in the role × endpoint × scope table. The CA is agency-wide: no unit scope,
so a role either has the permission everywhere (IT Center officer, admin) or nowhere."""

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from django.db import transaction

from kyso.core.context import acting_as
from kyso.core.scope_table import Endpoint
from kyso.pki import revocation
from kyso.pki.testing import make_signer


def _csr(t):
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, t.person.full_name)]))
           .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(t.person.email)]), critical=False)
           .sign(key, hashes.SHA256()))
    # who may issue at all (the IT Center): an infrastructure profile, since a person's certificate also needs an
    # approved Form 01 request (test_subscriber_certificates_need_an_approved_request)
    return {"csr": csr.public_bytes(serialization.Encoding.PEM).decode(), "profile": "ocsp", "days": 365}


def _fresh_cert(t):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.pki.testing import make_signer

    with acting_as(label="scope-table"), transaction.atomic():
        t.extra["serial"] = make_signer()[0].serial


def _token_cert(t):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.pki.testing import make_signer

    with acting_as(label="scope-table"), transaction.atomic():
        t.extra["serial"] = make_signer(in_token=True)[0].serial


def _listed(t, data):
    return bool(data["results"])


ENDPOINTS = [
    Endpoint("pki.cas", "GET", lambda t: "/api/v1/pki/cas/", listed=lambda t, d: bool(d["results"])),
    Endpoint("pki.certs", "GET", lambda t: "/api/v1/pki/certificates/", listed=_listed, prepare=_fresh_cert),
    Endpoint("pki.cert", "GET", lambda t: f"/api/v1/pki/certificates/{t.extra['serial']}/", prepare=_fresh_cert),
    Endpoint("pki.issue", "POST", lambda t: "/api/v1/pki/certificates/", body=_csr),
    Endpoint("pki.revoke", "POST", lambda t: f"/api/v1/pki/certificates/{t.extra['serial']}/revoke/",
             body={"reason": "keyCompromise"}, prepare=_fresh_cert),
    Endpoint("pki.unlock", "POST", lambda t: f"/api/v1/pki/certificates/{t.extra['serial']}/unlock-pin/",
             prepare=_token_cert),
]

EXPECT = """
endpoint    admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
pki.cas     L/-   L/-   L/-     403/403 403/403 403/403   403/403 403/403   L/-
pki.certs   L/-   L/-   L/-     403/403 403/403 403/403   403/403 403/403   L/-
pki.cert    200/- 200/- 200/-   403/403 403/403 403/403   403/403 403/403   200/-
pki.issue   201/- 201/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
pki.revoke  200/- 200/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
pki.unlock  200/- 200/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
"""


# ---------------------------------------------------------------- issue 16: the rest of the PKI operations

def _on_hold(t):
    with acting_as(label="scope-table"), transaction.atomic():
        t.extra["serial"] = revocation.suspend(make_signer()[0].serial).serial


ENDPOINTS += [
    Endpoint("pki.ca", "GET", lambda t: "/api/v1/pki/cas/issuing/"),
    Endpoint("pki.suspend", "POST", lambda t: f"/api/v1/pki/certificates/{t.extra['serial']}/suspend/",
             prepare=_fresh_cert),
    Endpoint("pki.release", "POST", lambda t: f"/api/v1/pki/certificates/{t.extra['serial']}/release/",
             prepare=_on_hold),
]

EXPECT += """pki.ca      200/- 200/- 200/-   403/403 403/403 403/403   403/403 403/403   200/-
pki.suspend 200/- 200/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
pki.release 200/- 200/- 403/-   403/403 403/403 403/403   403/403 403/403   403/-
"""
