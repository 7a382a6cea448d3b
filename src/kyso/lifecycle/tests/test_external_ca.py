"""The external-CA exchange: the approved list goes out as Form 02 (XLSX + PDF) plus the CSRs in a zip;
the issued certificates come back as PEM, DER or PKCS#7 and are matched to the requests by public key,
then by e-mail; an unmatched or unreadable file records nothing."""

import io
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from openpyxl import load_workbook

from kyso.lifecycle import exchange
from kyso.lifecycle.models import Certificate, IssuanceRequest, RequestState, Step

from .factories import ExternalCa, csr_for, der, in_state, pem

URL = "/api/v1/lifecycle/"


def _sent_requests(api, demo):
    """Two person requests (one with a CSR) in an approved list sent to the external CA."""
    a, b = demo.person("HN.BD", "Giám đốc"), demo.person("HN.BD", "Phó Giám đốc")
    reqs = []
    for p in (a, b):
        r = api("badinh").post(URL + "requests/", {"kind": "person", "person": p.pk}, format="json").json()
        reqs.append(in_state(IssuanceRequest.objects.get(pk=r["id"]), RequestState.VALID))
    key, csr = csr_for(a.full_name, a.email)
    reqs[0].csr_pem = csr.public_bytes(serialization.Encoding.PEM).decode()
    in_state(reqs[0], RequestState.VALID)
    lst = api("cntt").post(URL + "lists/", {"approval": True, "requests": [r.pk for r in reqs]}, format="json").json()
    assert api("lanhdao").post(f"{URL}lists/{lst['id']}/approve/").status_code == 200
    return reqs, key, lst


@pytest.mark.django_db
def test_export_package_and_import_matched_by_public_key_and_email(api, demo, monkeypatch):
    monkeypatch.setenv("KYSO_CA_EXCHANGE", "external")
    reqs, key, lst = _sent_requests(api, demo)
    sent = api("cntt").post(f"{URL}lists/{lst['id']}/send-to-ca/").json()
    assert sent["state"] == "sent_to_ca" and sent["devices"] == []      # nothing issued at once
    package = api("cntt").get(f"{URL}lists/{lst['id']}/export/")
    assert package.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(package.content))
    assert sorted(z.namelist()) == sorted(["mau-02-danh-sach.xlsx", "mau-02-danh-sach.pdf", f"csr/{reqs[0].pk}.csr"])
    ws = load_workbook(io.BytesIO(z.read("mau-02-danh-sach.xlsx"))).active
    names = [row[1] for row in ws.iter_rows(min_row=5, values_only=True)]
    assert names == [r.full_name for r in reqs]

    ca = ExternalCa()
    # the first: a name the CA shortened, but our CSR's key; the second: matched by its e-mail
    first = ca.issue(key.public_key(), "Thuê bao đổi tên", "")
    other_key, _csr = csr_for(reqs[1].full_name)
    second = ca.issue(other_key.public_key(), reqs[1].full_name, reqs[1].email)
    bundle = pkcs7.serialize_certificates([first, second], serialization.Encoding.DER)
    resp = api("cntt").post(URL + "lists/import-issued/", {"file": io.BytesIO(bundle)}, format="multipart")
    assert resp.status_code == 201, resp.content
    got = {c["serial"]: c for c in resp.json()}
    assert got[format(first.serial_number, "x")]["subscriber"] == reqs[0].full_name
    assert got[format(second.serial_number, "x")]["subscriber"] == reqs[1].full_name
    for r in reqs:
        r.refresh_from_db()
        assert r.state == "issued"
        assert [s.name for s in Step.objects.filter(subject_type="request", subject_id=r.pk)] == ["handover_unit"]
    assert Certificate.objects.filter(source="imported", request__in=reqs).count() == 2


@pytest.mark.django_db
def test_unmatched_or_unreadable_files_record_nothing(api, demo, monkeypatch):
    monkeypatch.setenv("KYSO_CA_EXCHANGE", "external")
    reqs, key, lst = _sent_requests(api, demo)
    api("cntt").post(f"{URL}lists/{lst['id']}/send-to-ca/")
    ca = ExternalCa()
    good = ca.issue(key.public_key(), reqs[0].full_name)
    stranger_key, _c = csr_for("Người lạ")
    stranger = ca.issue(stranger_key.public_key(), "Người lạ", "nguoila@example.org")
    resp = api("cntt").post(URL + "lists/import-issued/", {"file": io.BytesIO(pem(good) + pem(stranger))},
                            format="multipart")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "lifecycle.import.unmatched"
    assert not Certificate.objects.filter(request__in=reqs).exists()
    resp = api("cntt").post(URL + "lists/import-issued/", {"file": io.BytesIO(b"not a certificate")},
                            format="multipart")
    assert resp.json()["error"]["code"] == "lifecycle.import.unreadable"
    # DER works alone
    resp = api("cntt").post(URL + "lists/import-issued/", {"file": io.BytesIO(der(good))}, format="multipart")
    assert resp.status_code == 201


def test_der_ending_in_a_whitespace_byte_is_read_whole():
    """A DER certificate whose last byte is 0x0a or 0x20 (it happens: the signature is random) must not be
    stripped like text — found as an intermittent failure of the import."""
    ca = ExternalCa()
    for _ in range(400):
        key, _csr = csr_for("B")
        cert = ca.issue(key.public_key(), "B")
        if der(cert)[-1:] in (b"\n", b" ", b"\t", b"\r") or der(cert)[:1] in (b"\n", b" "):
            break
    else:
        pytest.skip("no certificate ending in a whitespace byte in 400 tries")
    assert exchange.load_issued(der(cert)) == [cert]
    assert exchange.load_issued(pkcs7.serialize_certificates([cert], serialization.Encoding.DER)) == [cert]


def test_load_issued_reads_every_format():
    ca = ExternalCa()
    key, _csr = csr_for("A")
    cert = ca.issue(key.public_key(), "A", "a@vss.gov.vn")
    for data in (pem(cert), der(cert), pkcs7.serialize_certificates([cert], serialization.Encoding.PEM),
                 pkcs7.serialize_certificates([cert], serialization.Encoding.DER)):
        assert exchange.load_issued(data) == [cert]
    assert exchange.email_of(cert) == "a@vss.gov.vn"


@pytest.mark.django_db
def test_form_02_lists_the_requests_in_the_order_they_came_in(api, demo):
    """A request changed after it was listed (a CSR attached) keeps its number on Form 02: on PostgreSQL an
    updated row moves in the table, and an unordered read listed it last."""
    reqs, _key, lst = _sent_requests(api, demo)
    first = IssuanceRequest.objects.filter(pk=reqs[0].pk)
    state = first.get().state
    first.update(state=RequestState.SUPPLEMENT)     # an indexed column changed: the row moves to a new place
    first.update(state=state)
    from kyso.lifecycle.models import RequestList

    assert [r.pk for r in RequestList.objects.get(pk=lst["id"]).all_requests()] == [r.pk for r in reqs]
