"""Signing endpoints in the role × endpoint × scope table. Verifying a signature is public (anyone
holding a signed document may check it, as on the government's verification portals): every role,
in and out of scope, gets the report."""

from kyso.core.scope_table import Endpoint


def _signed(t):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.pki.testing import make_signer
    from kyso.signing.xml import sign_xml

    with acting_as(label="scope-table"), transaction.atomic():
        issued, key = make_signer()
    t.extra["xml"] = sign_xml(f"<HoSo><DonVi>{t.unit.code}</DonVi></HoSo>".encode(), key, issued.certificate)


def _upload(t):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("hoso.xml", t.extra["xml"])}


ENDPOINTS = [
    Endpoint("signing.verify", "POST", lambda t: "/api/v1/verify", body=_upload, prepare=_signed, format="multipart"),
]

EXPECT = """
endpoint        admin cntt  lanhdao hanoi   badinh  vanthu.hn thuebao motcua.hn kiemtoan
signing.verify  200/- 200/- 200/-   200/200 200/200 200/200   200/200 200/200   200/-
"""


def _clerk_upload(t):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("hoso.xml", b"<HoSo><DonVi>x</DonVi></HoSo>"), "seal": "true"}


ENDPOINTS.append(Endpoint("signing.sign_seal", "POST", lambda t: "/api/v1/sign", body=_clerk_upload,
                          format="multipart"))
EXPECT += """
signing.sign_seal  403/- 403/- 403/-   403/403 403/403 200/200   403/403 403/403   403/-
"""
