"""PAdES B-LT and B-LTA carry complete validation material: they verify on "another machine" (pyHanko, only
Kyso's root, no network) — B-LTA with pyHanko's EN 319 102-1 LTA validation, before and after `extend`."""

import io

import pytest
from asn1crypto import ocsp as asn1_ocsp
from django.db import transaction
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.ades import AdESPassed
from pyhanko.sign.validation.dss import DocumentSecurityStore

from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput, InvalidState
from kyso.pki import revocation
from kyso.pki.ca import get_ca, responder
from kyso.signing.pades_lt import extend
from kyso.signing.pdf import sign_pdf
from kyso.signing.verify import verify_bytes

from .helpers import cli_sign_b_lta_and_extend, foreign_ca, nss_db, pdfsig
from .ltv_helpers import dss_only_status, lta_results


def _ocsp_subjects(pdf: bytes) -> set[str]:
    """Serial numbers (hex) that the DSS's OCSP responses speak about."""
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(pdf)))
    out = set()
    for ref in dss.ocsps:
        resp = asn1_ocsp.OCSPResponse.load(ref.get_object().data)
        for single in resp["response_bytes"]["response"].parsed["tbs_response_data"]["responses"]:
            out.add(format(single["cert_id"]["serial_number"].native, "x"))
    return out


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_pdf_holds_revocation_data_for_signer_ca_and_tsa(signer, chain, one_page_pdf, level):
    issued, key = signer
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level=level)
    tsa_cert = responder(get_ca(), "tsa")[0].certificate
    issuing_ca = chain[0]
    assert {format(issued.certificate.serial_number, "x"), format(issuing_ca.serial_number, "x"),
            format(tsa_cert.serial_number, "x")} <= _ocsp_subjects(signed)
    status = dss_only_status(signed, chain[-1])
    assert status.bottom_line, status.pretty_print_details()
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted


def test_b_lta_passes_pyhanko_lta_validation_before_and_after_extend(signer, chain, one_page_pdf, tmp_path):
    issued, key = signer
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    reader = PdfFileReader(io.BytesIO(signed))
    assert len(reader.embedded_timestamp_signatures) == 1
    (result,) = lta_results(signed, chain[-1])
    assert result.ades_subindic == AdESPassed.OK, result.failure_msg

    once = extend(signed)
    twice = extend(once)
    assert once.startswith(signed) and twice.startswith(once)     # earlier revisions untouched
    assert len(PdfFileReader(io.BytesIO(twice)).embedded_timestamp_signatures) == 3
    for doc in (once, twice):
        (result,) = lta_results(doc, chain[-1])
        assert result.ades_subindic == AdESPassed.OK, result.failure_msg
        assert result.oldest_evidence_record_timestamp is not None

    path = tmp_path / "lta.pdf"
    path.write_bytes(twice)
    assert "Signature is Valid" in pdfsig(path, nss_db(tmp_path / "nss", [chain[-1]]))
    assert verify_bytes(twice).indication == "TOTAL_PASSED"


def test_extend_turns_a_b_lt_pdf_into_b_lta(signer, chain, one_page_pdf):
    issued, key = signer
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LT")
    extended = extend(signed)
    assert len(PdfFileReader(io.BytesIO(extended)).embedded_timestamp_signatures) == 1
    (result,) = lta_results(extended, chain[-1])
    assert result.ades_subindic == AdESPassed.OK, result.failure_msg


def test_extend_keeps_a_later_revocation_as_evidence(make, chain, one_page_pdf):
    issued, key = make("person", key_spec="rsa2048")
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    with acting_as(label="test"), transaction.atomic():
        revocation.revoke(issued.serial, "keyCompromise")
    extended = extend(signed)       # the archive is renewed; the OCSP response now says "revoked"
    assert format(issued.certificate.serial_number, "x") in _ocsp_subjects(extended)
    assert len(extended) > len(signed)


def test_signing_long_term_with_a_revoked_certificate_is_refused(make, chain, one_page_pdf):
    issued, key = make("person", key_spec="rsa2048")
    with acting_as(label="test"), transaction.atomic():
        revocation.revoke(issued.serial, "keyCompromise")
    with pytest.raises(InvalidState) as exc:
        sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LT")
    assert exc.value.code == "signing.material.revoked"


def test_a_foreign_ca_without_fetching_cannot_be_made_long_term(pki, one_page_pdf, settings):
    from kyso.pki.keystore import SoftwareKey

    settings.KYSO_VERIFY_FETCH = False
    ca, cert, key = foreign_ca()
    with pytest.raises(InvalidState) as exc:
        sign_pdf(one_page_pdf, SoftwareKey("x", key), cert, chain=[ca], level="B-LT")
    assert exc.value.code == "signing.material.no_revocation"
    # B-T needs no validation material and still works
    assert sign_pdf(one_page_pdf, SoftwareKey("x", key), cert, chain=[ca], level="B-T")


def test_extend_refuses_an_unsigned_pdf(pki, one_page_pdf):
    with pytest.raises(InvalidInput) as exc:
        extend(one_page_pdf)
    assert exc.value.code == "signing.extend.unsigned"


def test_cli_signs_b_lta_and_extends(signer, chain, one_page_pdf, tmp_path):
    renewed = cli_sign_b_lta_and_extend(tmp_path, signer, chain, "pdf", "doc.pdf", one_page_pdf,
                                        "lta.pdf").read_bytes()
    assert renewed.startswith((tmp_path / "lta.pdf").read_bytes())
    (result,) = lta_results(renewed, chain[-1])
    assert result.ades_subindic == AdESPassed.OK, result.failure_msg
