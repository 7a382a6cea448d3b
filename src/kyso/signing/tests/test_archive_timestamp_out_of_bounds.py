"""An archive time-stamp whose authority's certificate had expired at the time it is judged is OUT_OF_BOUNDS_NO_POE
(EN 319 102-1, 5.6 — validation of archival data — through 5.2.6: the certificate is expired at the validation
time and nothing proves the time-stamp existed while it was valid), not NO_CERTIFICATE_CHAIN_FOUND: the chain is
found, and a relying party told "no chain" looks for a root it already has. The day after the time-stamping
unit's certificate expired, a B-LTA PDF, XML or CMS signature never renewed said the archive's authority "is not
trusted" / NO_CERTIFICATE_CHAIN_FOUND; now it says that certificate had expired (`timestamp.archive_expired`)."""

import datetime as dt

import pytest

from kyso.pki.ca import ROOT, get_ca, responder
from kyso.signing import cades
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import sign_xml

from .test_archive_outlives_its_authority import _ocsp_good


@pytest.fixture
def never_renewed(signer, chain, one_page_pdf, dossier_xml, settings):
    settings.KYSO_ALGORITHM_END_DATES = {"rsa2048": "2099-12-31"}
    issued, key = signer
    tsa = responder(get_ca(), "tsa")[0].certificate
    files = {
        "pdf": (sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA"), {}),
        "xml": (sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-LTA"), {}),
        "cms": (cades.sign_cms(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA"),
                {"content": one_page_pdf}),
    }
    day_after = tsa.not_valid_after_utc + dt.timedelta(days=1)
    later = TrustStore(roots=[chain[-1]], now=day_after,
                       ocsps=[_ocsp_good(get_ca().certificate, get_ca(ROOT), day_after)])
    return files, later


def _message(sig, code) -> str:
    return next(str(c.message) for c in sig.checks if c.code == code)


@pytest.mark.parametrize("kind", ["xml", "cms"])
def test_an_archive_time_stamp_whose_authority_expired_is_out_of_bounds(never_renewed, kind):
    files, later = never_renewed
    signed, extra = files[kind]
    report = verify_bytes(signed, trust=later, **extra)
    sig = report.signatures[0]
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "OUT_OF_BOUNDS_NO_POE"), report.to_dict()
    assert "timestamp.archive_expired" in sig.codes and "timestamp.archive_untrusted" not in sig.codes
    assert sig.level == "B-LT"


def test_a_pdf_document_time_stamp_whose_authority_expired_is_out_of_bounds(never_renewed):
    files, later = never_renewed
    report = verify_bytes(files["pdf"][0], trust=later)
    sig = report.signatures[0]
    assert report.indication == "INDETERMINATE", report.to_dict()
    assert "timestamp.archive_expired" in sig.codes and "timestamp.archive_untrusted" not in sig.codes, sig.codes
    assert sig.level == "B-LT"


@pytest.mark.parametrize("kind", ["pdf", "xml", "cms"])
def test_the_signature_time_stamp_of_that_authority_is_out_of_bounds_too(never_renewed, kind):
    """Judged that day too (no archive time-stamp holds to prove an earlier time): the same authority's
    certificate had expired, so the signature time-stamp is OUT_OF_BOUNDS_NO_POE as well — and a PDF, whose
    signature time-stamp is reported before its document time-stamps, says so."""
    files, later = never_renewed
    signed, extra = files[kind]
    report = verify_bytes(signed, trust=later, **extra)
    sig = report.signatures[0]
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "OUT_OF_BOUNDS_NO_POE"), report.to_dict()
    assert "timestamp.expired" in sig.codes and "timestamp.untrusted" not in sig.codes, sig.codes


def test_an_authority_that_is_not_trusted_at_all_is_still_no_chain(signer, chain, dossier_xml):
    """The other side of the line: an archive time-stamp from an authority no accepted root leads to."""
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    report = verify_bytes(signed, trust=TrustStore(roots=[]))
    sig = report.signatures[0]
    assert "timestamp.archive_untrusted" in sig.codes and "timestamp.archive_expired" not in sig.codes, sig.codes
