"""Archive renewal: the nightly job renews the archived signed records whose last time-stamp loses its strength
within the margin (here: the time-stamping authority's certificate expires), once a stronger authority
certificate exists; the renewed document is archived beside the original, verifies offline with only the root,
and is not renewed again; what could not be renewed is listed once with the reason; the page shows both."""

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from lxml import etree
from pyhanko.pdf_utils.reader import PdfFileReader

from kyso.audit.models import AuditRecord
from kyso.core.context import acting_as
from kyso.files.storage import read, store
from kyso.jobs import registry
from kyso.pki import keystore
from kyso.pki.ca import get_ca, responder
from kyso.pki.issuance import SubjectInfo, issue_for_public_key
from kyso.pki.profiles import MAX_DAYS
from kyso.signing import algorithms, renewal
from kyso.signing.models import ArchiveRenewal
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes
from kyso.signing.xades_lt import XADES141
from kyso.signing.xml import sign_xml


def _archive(demo, signer, chain, one_page_pdf, dossier_xml):
    issued, key = signer
    pdf = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    xml = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    path = demo.unit("HN.BD").path
    with acting_as(label="test"), transaction.atomic():
        return (store(pdf, name="quyet-dinh.pdf", media_type="application/pdf", purpose="eoffice.issued",
                      unit_path=path),
                store(xml, name="ho-so.xml", media_type="application/xml", purpose="eoffice.incoming",
                      unit_path=path),
                store(b"%PDF-1.4 not signed", name="nhap.pdf", media_type="application/pdf", purpose="eoffice.issued"))


def _new_tsa_certificate(days: int):
    """The TSA gets a new certificate that lasts longer (as when the authority's certificate is rotated)."""
    label = f"tsa-test-{os.urandom(3).hex()}"
    key = keystore.store_for(label).generate(label, "rsa2048")
    with acting_as(label="test"), transaction.atomic():
        return issue_for_public_key(key.public_key(), "tsa", SubjectInfo(common_name="Kyso DEV TSA 2"), days,
                                    ca=get_ca(), key_location=f"keystore:{label}")


def _days_left(cert) -> int:
    return (cert.not_valid_after_utc - timezone.now()).days


@pytest.fixture
def archived(demo, signer, chain, one_page_pdf, dossier_xml, settings):
    # The signers' and the rotated TSAs' keys here are RSA-2048 (ends on 31/12/2030): a policy where the TSA
    # certificate's expiry is what ends the strength, unless a test says otherwise.
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    return _archive(demo, signer, chain, one_page_pdf, dossier_xml)


def test_records_whose_tsa_certificate_expires_within_the_margin_are_renewed(archived, chain, settings):
    pdf_file, xml_file, _unsigned = archived
    old_tsa = responder(get_ca(), "tsa")[0].certificate
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = _days_left(old_tsa) + 1
    assert renewal.strength(read(pdf_file)).why == "tsa"
    new_tsa = _new_tsa_certificate(days=MAX_DAYS)       # two days longer than the first one
    assert responder(get_ca(), "tsa")[0] == new_tsa

    with acting_as(label="job"), transaction.atomic():
        out = renewal.renew_due()
    assert {r.source for r in out.renewed} == {pdf_file, xml_file} and not out.failed
    for record in out.renewed:
        assert record.renewed.purpose == renewal.RENEWED_PURPOSE and record.renewed.unit_path == pdf_file.unit_path
        assert timezone.localtime(old_tsa.not_valid_after_utc).strftime("%d/%m/%Y") in record.reason
        data = read(record.renewed)
        report = verify_bytes(data, trust=TrustStore(roots=[chain[-1]]))
        assert report.indication == "TOTAL_PASSED", report.to_dict()
        assert report.signatures[0].level == "B-LTA"
        assert renewal.strength(data).weak_at == new_tsa.certificate.not_valid_after_utc
    renewed_pdf = read(next(r.renewed for r in out.renewed if r.source == pdf_file))
    assert len(PdfFileReader(io.BytesIO(renewed_pdf)).embedded_timestamp_signatures) == 2
    renewed_xml = read(next(r.renewed for r in out.renewed if r.source == xml_file))
    assert len(etree.fromstring(renewed_xml).findall(f".//{{{XADES141}}}ArchiveTimeStamp")) == 2
    assert AuditRecord.objects.filter(action="signing.archive.renew").count() >= 2

    with acting_as(label="job"), transaction.atomic():
        again = renewal.renew_due()
    assert not again.renewed and not again.failed and again.not_due == 2     # the renewed versions are strong


def test_a_record_that_cannot_be_made_stronger_is_listed_once_with_the_reason(archived, settings):
    pdf_file, xml_file, _unsigned = archived
    tsa = responder(get_ca(), "tsa")[0].certificate
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = _days_left(tsa) + 2      # the only TSA certificate is itself weak
    with acting_as(label="job"), transaction.atomic():
        out = renewal.renew_due()
    assert not out.renewed and {r.source for r in out.failed} == {pdf_file, xml_file}
    assert {r.code for r in out.failed} == {"signing.renewal.tsa_weak"}
    assert timezone.localtime(tsa.not_valid_after_utc).strftime("%d/%m/%Y") in out.failed[0].reason
    with acting_as(label="job"), transaction.atomic():
        again = renewal.renew_due()
    assert not again.failed and ArchiveRenewal.objects.count() == 2


def test_an_algorithm_end_date_within_the_margin_makes_a_record_due(archived, settings):
    pdf_file, _xml, _unsigned = archived
    soon = (timezone.now() + dt.timedelta(days=30)).date().isoformat()
    tsa_key = algorithms.key_name(responder(get_ca(), "tsa")[0].certificate.public_key())    # RSA-3072
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31", tsa_key: soon}
    found = renewal.strength(read(pdf_file))
    assert found.why == tsa_key and found.weak_at.date().isoformat() == soon
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = 10
    assert renewal.renew_due().not_due == 2
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = 40
    with acting_as(label="job"), transaction.atomic():
        out = renewal.renew_due()
    # the current TSA's key is the same: a new time-stamp would not last longer
    assert {r.code for r in out.failed} == {"signing.renewal.tsa_weak"}


def test_the_job_is_registered_and_the_page_lists_the_outcomes(archived, demo, settings):
    assert "signing.archive_renewal" in registry.periodic()
    tsa = responder(get_ca(), "tsa")[0].certificate
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = _days_left(tsa) + 2
    with acting_as(label="job"), transaction.atomic():
        renewal.renew_due()
    client = Client()
    assert client.get("/signing/archive-renewals/").status_code == 302       # log in first
    client.force_login(demo.user("thuebao"))
    assert client.get("/signing/archive-renewals/").status_code == 404
    for username in ("cntt", "kiemtoan"):
        client.force_login(demo.user(username))
        html = client.get("/signing/archive-renewals/?outcome=failed").content.decode()
        assert "quyet-dinh.pdf" in html and "ho-so.xml" in html
        assert "Không gia hạn được" in html and timezone.localtime(tsa.not_valid_after_utc).strftime("%d/%m/%Y") in html


def test_the_renewal_runs_from_the_command_line(archived, settings, capsys):
    tsa = responder(get_ca(), "tsa")[0].certificate
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = _days_left(tsa) + 2
    call_command("sign", "renew-archive")
    assert "không gia hạn được 2" in capsys.readouterr().out
    assert ArchiveRenewal.objects.filter(outcome=ArchiveRenewal.Outcome.FAILED).count() == 2


def test_a_record_without_validation_data_is_renewed_before_its_signer_certificate_expires(
        demo, signer, chain, one_page_pdf, dossier_xml, settings):
    """A B-T record carries no proof that its signer was not revoked; once the signer's certificate has expired
    that proof can no longer be gathered (CRLs drop expired certificates). So the job gathers it before: the
    record is due when the signer's certificate expires within the margin, even though its time-stamp is strong
    (before: not due until the time-stamping authority's certificate was). A detached CAdES signature (.p7s) is
    judged too; without its content it cannot be extended, and is listed once with the reason."""
    from kyso.signing.cades import sign_cms

    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    issued, key = signer
    path = demo.unit("HN.BD").path
    pdf = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-T")
    xml = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-T")
    p7s = sign_cms(b"bien-ban.docx", key, issued.certificate, chain=chain[:-1], level="B-T")
    with acting_as(label="test"), transaction.atomic():
        files = [store(pdf, name="to-trinh.pdf", media_type="application/pdf", purpose="eoffice.issued", unit_path=path),
                 store(xml, name="ho-so.xml", media_type="application/xml", purpose="eoffice.incoming", unit_path=path),
                 store(p7s, name="bien-ban.p7s", media_type="application/pkcs7-signature", purpose="eoffice.issued",
                       unit_path=path)]
    expiry = issued.certificate.not_valid_after_utc
    for stored in files:
        found = renewal.strength(read(stored))
        assert (found.why, found.weak_at) == ("signer", expiry)

    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = _days_left(issued.certificate) - 5
    assert renewal.renew_due().not_due == 3
    settings.KYSO_ARCHIVE_RENEWAL_MARGIN_DAYS = _days_left(issued.certificate) + 2
    with acting_as(label="job"), transaction.atomic():
        out = renewal.renew_due()
    assert {r.source for r in out.renewed} == set(files[:2])
    assert [(r.source, r.code) for r in out.failed] == [(files[2], "signing.extend.content")]
    for record in out.renewed:
        assert timezone.localtime(expiry).strftime("%d/%m/%Y") in record.reason
        data = read(record.renewed)
        report = verify_bytes(data, trust=TrustStore(roots=[chain[-1]]))
        assert report.indication == "TOTAL_PASSED", report.to_dict()
        assert report.signatures[0].level == "B-LTA"
        assert renewal.strength(data).why == "tsa"                # the signer's expiry no longer matters


def test_the_end_dates_are_the_verifiers_algorithm_policy(settings):
    """The job judges a time-stamp's strength by the same algorithm policy the verifier applies (ETSI TS 119 312
    style, `signing.algorithms`), moved only where the operator says so."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa

    from kyso.signing import algorithms

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "TSA thử")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
            .not_valid_after(dt.datetime(2045, 1, 1, tzinfo=dt.timezone.utc)).sign(key, hashes.SHA256()))
    settings.KYSO_ALGORITHM_END_DATES = {}
    found = renewal.strength_of_tsa(cert, ["sha256"])
    assert (found.why, found.weak_at) == ("rsa2048", algorithms.key_until(cert.public_key())[1])
    found = renewal.strength_of_tsa(cert, ["sha1", "sha256"])
    assert (found.why, found.weak_at) == ("sha1", algorithms.digest_until("sha1"))
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    assert renewal.strength_of_tsa(cert, ["sha256"]).why == "tsa"
