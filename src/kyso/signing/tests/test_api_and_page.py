"""`POST /api/v1/verify` and the public page `/signing/verify/`: no login, JSON/HTML/PDF reports,
bad uploads answered with a code and a Vietnamese message."""

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from kyso.signing.xml import sign_xml


def test_api_verifies_an_upload_without_login(signer, dossier_xml):
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate)
    client = APIClient()
    resp = client.post("/api/v1/verify", {"file": SimpleUploadedFile("hoso.xml", signed)}, format="multipart")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["indication"] == "TOTAL_PASSED" and body["filename"] == "hoso.xml"
    assert body["signatures"][0]["signer"] == issued.common_name

    tampered = signed.replace(b"8500000", b"1")
    body = client.post("/api/v1/verify", {"file": SimpleUploadedFile("t.xml", tampered)}, format="multipart").json()
    assert (body["indication"], body["sub_indication"]) == ("TOTAL_FAILED", "HASH_FAILURE")

    pdf = client.post("/api/v1/verify?as=pdf", {"file": SimpleUploadedFile("hoso.xml", signed)}, format="multipart")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_api_bad_input(pki):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    resp = client.post("/api/v1/verify", {}, format="multipart")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "signing.input.missing"
    resp = client.post("/api/v1/verify", {"file": SimpleUploadedFile("x.bin", b"nothing")}, format="multipart")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "signing.input.unknown_format"
    xxe = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
    resp = client.post("/api/v1/verify", {"file": SimpleUploadedFile("x.xml", xxe)}, format="multipart")
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "signing.input.xml_dtd"


def test_public_page_shows_the_report_in_vietnamese(client, signer, one_page_pdf):
    from kyso.signing.pdf import sign_pdf

    issued, key = signer
    signed = sign_pdf(one_page_pdf, key, issued.certificate, level="B-T")
    page = client.get("/signing/verify/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    resp = client.post("/signing/verify/", {"file": SimpleUploadedFile("qd.pdf", signed), "as": "html"},
                       HTTP_ACCEPT_LANGUAGE="vi")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert issued.common_name in html
    assert "Hợp lệ" in html
    resp = client.post("/signing/verify/", {"file": SimpleUploadedFile("qd.pdf", signed), "as": "pdf"})
    assert resp["Content-Type"] == "application/pdf"
    resp = client.post("/signing/verify/", {"file": SimpleUploadedFile("x.bin", b"junk"), "as": "html"})
    assert resp.status_code == 400 and "signing.input.unknown_format" in resp.content.decode()


def test_public_page_checks_art8_for_a_chosen_document_type(client, signer, one_page_pdf):
    """The page's form carries the document type: a person-only signed decision is not complete (Art. 8.5)."""
    from kyso.signing.pdf import sign_pdf

    issued, key = signer
    signed = sign_pdf(one_page_pdf, key, issued.certificate, level="B-B")
    resp = client.post("/signing/verify/", {"file": SimpleUploadedFile("qd.pdf", signed), "as": "html",
                                            "doc_type": "official"}, HTTP_ACCEPT_LANGUAGE="vi")
    html = resp.content.decode()
    assert resp.status_code == 200 and "Chưa xác định" in html and "khoản 5 Điều 8" in html, html[-3000:]
    resp = client.post("/signing/verify/", {"file": SimpleUploadedFile("qd.pdf", signed), "as": "html",
                                            "doc_type": "nonsense"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert resp.status_code == 400


def test_every_report_names_the_algorithm_policy(client, signer, one_page_pdf, tmp_path):
    """PDF and CMS as well as XML (issue 14, what to build 5): the JSON, the page and the PDF report name the
    algorithm policy the verdict was judged under."""
    import subprocess

    from rest_framework.test import APIClient

    from kyso.signing.cades import sign_cms
    from kyso.signing.pdf import sign_pdf

    issued, key = signer
    for name, data in (("qd.pdf", sign_pdf(one_page_pdf, key, issued.certificate, level="B-B")),
                       ("qd.p7s", sign_cms(one_page_pdf, key, issued.certificate, level="B-B"))):
        body = APIClient().post("/api/v1/verify", {"file": SimpleUploadedFile(name, data)}, format="multipart").json()
        assert body["format"] in ("pdf", "cms") and body["algorithm_policy"] == "Kyso-ALG-2026 (ETSI TS 119 312)"
        page = client.post("/signing/verify/", {"file": SimpleUploadedFile(name, data), "as": "html"},
                           HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        assert "Kyso-ALG-2026 (ETSI TS 119 312)" in page
        pdf = client.post("/signing/verify/", {"file": SimpleUploadedFile(name, data), "as": "pdf"}).content
        (tmp_path / "r.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True).stdout
        assert b"Kyso-ALG-2026 (ETSI TS 119 312)" in b" ".join(text.split()), name
