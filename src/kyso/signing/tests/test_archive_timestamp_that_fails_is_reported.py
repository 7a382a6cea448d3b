"""A PDF's document time-stamps are its archive time-stamps (EN 319 142-1 B-LTA): one that does not hold is
reported, as an XAdES or CAdES archive time-stamp is (EN 319 102-1, 5.6.3). A byte of the validation data
changed after it was time-stamped (an OCSP response in the DSS) broke every document time-stamp after it, and
Kyso still said TOTAL_PASSED — quietly calling the file B-LT instead of B-LTA, no check saying why."""

import io

from asn1crypto import cms
from pyhanko.pdf_utils.reader import PdfFileReader

from kyso.signing.cades import sign_cms
from kyso.signing.pades_lt import extend
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes


def _flip_in_first_ocsp(pdf: bytes) -> bytes:
    """One bit of the first OCSP response of the DSS, inside its signature value (the stream is stored raw)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    stream = reader.root["/DSS"]["/OCSPs"][0].get_object()
    assert "/Filter" not in stream
    raw = stream.encoded_data
    at = pdf.index(raw) + len(raw) - 10
    return pdf[:at] + bytes([pdf[at] ^ 1]) + pdf[at + 1:]


def test_validation_data_changed_after_its_document_time_stamps_is_not_passed(signer, chain, one_page_pdf):
    issued, key = signer
    renewed = extend(sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA"))
    root_only = TrustStore(roots=[chain[-1]])

    report = verify_bytes(_flip_in_first_ocsp(renewed), trust=root_only)
    sig = report.signatures[0]
    assert report.indication == "INDETERMINATE", report.to_dict()
    assert sig.sub_indication == "SIG_CONSTRAINTS_FAILURE"
    assert "timestamp.archive_invalid" in sig.codes
    assert sig.level == "B-LT"

    intact = verify_bytes(renewed, trust=root_only)
    assert intact.indication == "TOTAL_PASSED", intact.to_dict()
    assert intact.signatures[0].level == "B-LTA"
    held = [c for c in intact.signatures[0].checks if c.code == "timestamp.archive"]
    assert len(held) == 2 and all(c.ok for c in held)     # both document time-stamps, named in the report


def test_a_cades_archive_time_stamp_over_changed_validation_data_is_an_etsi_verdict(signer, chain):
    """A byte of an OCSP response in SignedData.crls changed after the archive-time-stamp-v3: its hash index no
    longer matches. The verdict was INDETERMINATE / FORMAT_FAILURE, a pair EN 319 102-1 does not have
    (FORMAT_FAILURE is TOTAL_FAILED only); now as XAdES and PAdES: INDETERMINATE / SIG_CONSTRAINTS_FAILURE."""
    issued, key = signer
    content = "Báo cáo tổng hợp tháng 12\n".encode()
    p7s = sign_cms(content, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    ocsp = next(c for c in cms.ContentInfo.load(p7s)["content"]["crls"] if c.name == "other")
    raw = ocsp.chosen["other_rev_info"].dump()
    at = p7s.index(raw) + len(raw) - 10
    report = verify_bytes(p7s[:at] + bytes([p7s[at] ^ 1]) + p7s[at + 1:], content=content,
                          trust=TrustStore(roots=[chain[-1]]))
    sig = report.signatures[0]
    assert "timestamp.archive_invalid" in sig.codes, sig.to_dict()
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"), report.to_dict()
    assert sig.level == "B-LT"
