"""A renewed archive outlives the authority that first time-stamped it (ETSI EN 319 102-1, 5.6.2; issue 15):
the day after the first time-stamping certificate has expired, a B-LTA PDF or XML that was extended in time
still verifies TOTAL_PASSED — its newest (document or archive) time-stamp is judged that day, the older ones at
the time of the next one, the signature's own time-stamp at the time of the oldest — and the same file never
extended does not."""

import datetime as dt
import os

import pytest
from cryptography import x509
from cryptography.x509 import ocsp
from cryptography.hazmat.primitives import hashes
from django.db import transaction

from kyso.core.context import acting_as
from kyso.pki import keystore, signer as pki_signer
from kyso.pki.ca import ROOT, get_ca, key_of, responder
from kyso.pki.issuance import SubjectInfo, issue_for_public_key
from kyso.pki.profiles import MAX_DAYS
from kyso.signing.pades_lt import extend
from kyso.signing import cades
from kyso.signing.pdf import sign_pdf
from kyso.signing.xades_lt import extend as extend_xml, parse
from kyso.signing.xml import sign_xml
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes


def _ocsp_good(cert: x509.Certificate, ca, at: dt.datetime) -> bytes:
    """What the CA itself answers that day about `cert` (a relying party asks then): good, fresh."""
    builder = (ocsp.OCSPResponseBuilder()
               .add_response(cert=cert, issuer=ca.certificate, algorithm=hashes.SHA1(),
                             cert_status=ocsp.OCSPCertStatus.GOOD, this_update=at - dt.timedelta(hours=1),
                             next_update=at + dt.timedelta(days=1), revocation_time=None, revocation_reason=None)
               .responder_id(ocsp.OCSPResponderEncoding.HASH, ca.certificate))
    return pki_signer.sign_ocsp(builder, key_of(ca))


@pytest.fixture
def archive(signer, chain, one_page_pdf, dossier_xml, settings):
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    issued, key = signer
    first_tsa = responder(get_ca(), "tsa")[0].certificate
    pdf = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    xml = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    p7s = cades.sign_cms(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    label = f"tsa-test-{os.urandom(3).hex()}"
    new_key = keystore.store_for(label).generate(label, "rsa2048")
    with acting_as(label="test"), transaction.atomic():       # the authority's certificate is rotated
        second = issue_for_public_key(new_key.public_key(), "tsa", SubjectInfo(common_name="Kyso DEV TSA 2"),
                                      MAX_DAYS, ca=get_ca(), key_location=f"keystore:{label}")
    day_after = first_tsa.not_valid_after_utc + dt.timedelta(days=1)
    assert second.certificate.not_valid_after_utc > day_after
    later = TrustStore(roots=[chain[-1]], now=day_after, ocsps=[
        _ocsp_good(second.certificate, get_ca(), day_after), _ocsp_good(get_ca().certificate, get_ca(ROOT), day_after)])
    return {"pdf": (pdf, extend), "xml": (xml, lambda data: extend_xml(parse(data))),
            "cms": (p7s, lambda data: cades.extend(data, one_page_pdf)), "content": one_page_pdf}, later


def _content(files, kind) -> dict:
    return {"content": files["content"]} if kind == "cms" else {}


@pytest.mark.parametrize("kind", ["pdf", "xml", "cms"])
def test_an_archive_extended_in_time_verifies_after_its_first_authority_expired(archive, kind):
    files, later = archive
    signed, renew = files[kind]
    report = verify_bytes(renew(signed), trust=later, **_content(files, kind))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == "B-LTA"


@pytest.mark.parametrize("kind", ["pdf", "xml", "cms"])
def test_an_archive_never_extended_is_not_proven_after_its_authority_expired(archive, kind):
    files, later = archive
    report = verify_bytes(files[kind][0], trust=later, **_content(files, kind))
    assert report.indication == "INDETERMINATE", report.to_dict()
