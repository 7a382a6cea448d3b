"""The algorithm policy applies to time-stamp tokens too (EN 319 102-1, 5.2.8 within 5.4; TS 119 312): a token
whose message imprint is SHA-1, or whose authority signs with a key the policy rejects at the time the token is
judged, proves nothing about when the signature existed. Kyso judged only the signature's own algorithms: a
PAdES, XAdES or CAdES signature whose signature time-stamp was a SHA-1 token was TOTAL_PASSED with that
token's time as its proof of existence, and a SHA-1 document or archive time-stamp made the file B-LTA.

Now such a time-stamp is reported (`timestamp.algorithms`, `timestamp.archive_algorithms`) and the signature is
judged as if it were absent: INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE_NO_POE, no time-stamp time, and an
archive that rests on it is B-LT. Every token here is real: Kyso's own time-stamping unit signs a SHA-1 imprint
when asked for one."""

import pytest
from lxml import etree
from pyhanko.sign.attributes import TSTProvider
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper

from kyso.pki.ca import get_ca, responder
from kyso.signing import algorithms, cades, pades_lt, timestamps, xades_lt
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import DS, sign_xml

NO_POE = ("INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE")
CONTENT = "Báo cáo quyết toán quý IV\n".encode()


@pytest.fixture
def sha1_signature_timestamps(monkeypatch):
    """pyHanko asks the time-stamping unit for a SHA-1 imprint of the signature value (PAdES, CAdES), and so
    does Kyso's XAdES signer."""
    build = TSTProvider.build_attr_value

    async def sha1(self, dry_run=False):
        self.digest_algorithm = "sha1"
        return await build(self, dry_run)

    monkeypatch.setattr(TSTProvider, "build_attr_value", sha1)
    monkeypatch.setattr(xades_lt, "token_for", lambda data, hash_name="sha256": timestamps.token_for(data, "sha1"))


def _sign(kind, signer, chain, one_page_pdf, dossier_xml, level="B-T"):
    issued, key = signer
    if kind == "pdf":
        return sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level=level), {}
    if kind == "xml":
        return sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level=level), {}
    return cades.sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level=level), {"content": CONTENT}


def _message(sig, code) -> str:
    return next(str(c.message) for c in sig.checks if c.code == code)


@pytest.mark.parametrize("kind", ["pdf", "xml", "cms"])
def test_a_sha1_signature_time_stamp_is_no_proof_of_existence(kind, signer, chain, one_page_pdf, dossier_xml,
                                                                sha1_signature_timestamps):
    signed, extra = _sign(kind, signer, chain, one_page_pdf, dossier_xml)
    report = verify_bytes(signed, **extra)
    sig = report.signatures[0]
    assert (report.indication, report.sub_indication) == NO_POE, report.to_dict()
    assert "timestamp.algorithms" in sig.codes and "timestamp.valid" not in [c.code for c in sig.checks]
    assert sig.timestamp_time is None
    assert "SHA1" in _message(sig, "timestamp.algorithms") and "Kyso-ALG-2026" in _message(sig, "timestamp.algorithms")


@pytest.mark.parametrize("kind", ["pdf", "xml", "cms"])
def test_an_authority_key_the_policy_ends_makes_the_time_stamp_prove_nothing(kind, signer, chain, one_page_pdf,
                                                                               dossier_xml, settings):
    tsa_key = responder(get_ca(), "tsa")[0].certificate.public_key()
    assert algorithms.key_name(tsa_key) != algorithms.key_name(signer[0].certificate.public_key())
    signed, extra = _sign(kind, signer, chain, one_page_pdf, dossier_xml)
    assert verify_bytes(signed, **extra).indication == "TOTAL_PASSED"

    settings.KYSO_ALGORITHM_END_DATES = {algorithms.key_name(tsa_key): "2020-12-31"}
    report = verify_bytes(signed, **extra)
    sig = report.signatures[0]
    assert (report.indication, report.sub_indication) == NO_POE, report.to_dict()
    assert f"RSA {tsa_key.key_size} bits" in _message(sig, "timestamp.algorithms")
    assert sig.timestamp_time is None


def _sha1_document_timestamp(monkeypatch, signed: bytes) -> bytes:
    class Sha1(PdfTimeStamper):
        def timestamp_pdf(self, pdf_out, md_algorithm, *args, **kwargs):
            return super().timestamp_pdf(pdf_out, "sha1", *args, **kwargs)

    monkeypatch.setattr(pades_lt, "PdfTimeStamper", Sha1)
    return pades_lt.add_document_timestamp(signed)


def _sha1_xades_archive(monkeypatch, signed: bytes) -> bytes:
    monkeypatch.setattr(xades_lt, "token_for", lambda data, hash_name="sha256": timestamps.token_for(data, "sha1"))
    root = etree.fromstring(signed)
    xades_lt.add_archive_timestamp(root, root.find(f"{{{DS}}}Signature"))
    return etree.tostring(root)


def _sha1_cades_archive(monkeypatch, signed: bytes) -> bytes:
    monkeypatch.setattr(cades, "token_for", lambda data, hash_name="sha256": timestamps.token_for(data, "sha1"))
    info = cades.load(signed)
    cades.add_archive_timestamp(info, CONTENT)
    return info.dump(force=False)


ARCHIVE = {"pdf": _sha1_document_timestamp, "xml": _sha1_xades_archive, "cms": _sha1_cades_archive}


@pytest.mark.parametrize("kind", ["pdf", "xml", "cms"])
def test_a_sha1_archive_time_stamp_makes_no_b_lta(kind, signer, chain, one_page_pdf, dossier_xml, monkeypatch):
    signed, extra = _sign(kind, signer, chain, one_page_pdf, dossier_xml, level="B-LT")
    root_only = TrustStore(roots=[chain[-1]])
    assert verify_bytes(signed, trust=root_only, **extra).indication == "TOTAL_PASSED"

    report = verify_bytes(ARCHIVE[kind](monkeypatch, signed), trust=root_only, **extra)
    sig = report.signatures[0]
    assert (report.indication, report.sub_indication) == NO_POE, report.to_dict()
    assert "timestamp.archive_algorithms" in sig.codes
    assert "SHA1" in _message(sig, "timestamp.archive_algorithms")
    assert sig.level == "B-LT"
    assert sig.timestamp_time is not None          # the signature's own (SHA-256) time-stamp still holds
