"""What is remembered between verifications (certificate outcomes, parsed CA objects, the in-place XML check)
never lets a revoked certificate, a changed document or another trust store pass (issue 19)."""

import datetime as dt
import io

import pytest
from django.db import transaction
from lxml import etree
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

from kyso.core.context import acting_as
from kyso.pki.revocation import revoke
from kyso.signing import certcache, speedups
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore, default_trust
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import DS, sign_xml
from kyso.signing.xmlcrypto import confirm, id_attributes
from kyso.signing.xmlverify import _certs


def _verdict(report):
    return report.indication, report.sub_indication


@pytest.fixture
def signed_docs(signer, dossier_xml, one_page_pdf):
    """The dossier signed in XML and the one-page PDF signed at B-B, by `signer`."""
    issued, key = signer
    return [sign_xml(dossier_xml, key, issued.certificate),
            sign_pdf(one_page_pdf, key, issued.certificate, level="B-B")]


def _passes_twice_the_second_time_from_the_cache(doc, trust=None, again=None):
    """TOTAL_PASSED with `trust`, then again with `again` (by default `trust` itself): the second time, the
    outcome came from the cache."""
    assert _verdict(verify_bytes(doc, trust=trust)) == ("TOTAL_PASSED", None)
    hits = certcache.outcomes.hits
    assert _verdict(verify_bytes(doc, trust=trust if again is None else again)) == ("TOTAL_PASSED", None)
    assert certcache.outcomes.hits > hits


def test_revocation_after_a_cached_outcome_is_seen(signer, signed_docs):
    issued, _key = signer
    for doc in signed_docs:
        _passes_twice_the_second_time_from_the_cache(doc)
    with acting_as(label="test"), transaction.atomic():
        revoke(issued.serial, "keyCompromise")
    for doc in signed_docs:
        report = verify_bytes(doc)
        assert _verdict(report) == ("INDETERMINATE", "REVOKED_NO_POE"), report.to_dict()
        assert "certificate.revoked" in report.codes


def test_a_trust_store_without_the_root_does_not_reuse_an_outcome(signed_docs):
    trust = default_trust()
    bare = TrustStore([], [], list(trust.crls))
    for doc in signed_docs:
        assert _verdict(verify_bytes(doc, trust=trust)) == ("TOTAL_PASSED", None)
        report = verify_bytes(doc, trust=bare)
        assert report.indication == "INDETERMINATE", report.to_dict()
        assert "certificate.untrusted" in report.codes or "certificate.chain_invalid" in report.codes


def test_a_document_changed_after_a_cached_verification_fails(signer, dossier_xml, one_page_pdf):
    issued, key = signer
    xml_signed = sign_xml(dossier_xml, key, issued.certificate)
    assert _verdict(verify_bytes(xml_signed)) == ("TOTAL_PASSED", None)
    changed = xml_signed.replace("8500000".encode(), "9500000".encode())
    assert _verdict(verify_bytes(changed)) == ("TOTAL_FAILED", "HASH_FAILURE")

    pdf_signed = sign_pdf(one_page_pdf, key, issued.certificate, level="B-B")
    assert _verdict(verify_bytes(pdf_signed)) == ("TOTAL_PASSED", None)
    at = pdf_signed.index(b"/Type /Page") + 1
    changed = pdf_signed[:at] + b"t" + pdf_signed[at + 1:]      # /Type -> /type, inside the signed bytes
    assert verify_bytes(changed).indication == "TOTAL_FAILED"


def test_in_place_check_leaves_the_tree_as_it_was(signer, dossier_xml):
    """The enveloped-signature transform takes the signature out of the parsed tree and puts it back."""
    issued, key = signer
    signed = sign_xml(dossier_xml.replace(b"</HoSo>", b"<!-- ghi chu -->\n</HoSo>"), key, issued.certificate)
    root = etree.fromstring(signed)
    before = etree.tostring(root)
    sig_el = root.find(f"{{{DS}}}Signature")
    assert confirm(root, sig_el, _certs(sig_el), id_attributes(root)) == issued.certificate
    assert etree.tostring(root) == before


def test_in_place_check_only_confirms(signer, dossier_xml):
    """A signature value or a digest that does not match is left to signxml (which gives the verdict)."""
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate)
    root = etree.fromstring(signed.replace(b"0101234567", b"0101234568"))
    sig_el = root.find(f"{{{DS}}}Signature")
    assert confirm(root, sig_el, _certs(sig_el), id_attributes(root)) is None


@pytest.mark.parametrize("text", [b"<48656c6c6f>", b"<48 65\n6c\t6c 6f>", b"<486>", b"<>", b"<FEFF00410042>",
                                  b"<48 % comment > 65\n 6c>", b"<48zz>", b"<4865", b"<" + b"ab" * 70000 + b">"])
def test_hex_strings_read_as_pyhanko_reads_them(text):
    def read(fast):
        stream = io.BytesIO(text + b" /Next")
        if fast:
            with speedups.scope():
                value = generic.read_hex_string_from_stream(stream)
        else:
            value = speedups._pyhanko_read_hex(stream)
        return value, type(value), stream.tell()

    try:
        expected = read(False)
    except PdfStreamError as exc:
        with pytest.raises(PdfStreamError):
            read(True)
        assert str(exc)
        return
    assert read(True) == expected


def _expired_root():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "CA đã hết hạn")])
    end = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(end - dt.timedelta(days=3650))
            .not_valid_after(end).add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))


def test_an_expired_ca_in_the_trust_store_does_not_stop_reuse(signed_docs):
    """A retired CA whose certificate has expired stays in the trust store for old archives; its past expiry
    can change no outcome any more, so outcomes "now" are still remembered (before: never, while it was there)."""
    trust = default_trust().with_extra([_expired_root()])
    assert certcache.horizon(trust.roots) > dt.datetime.now(dt.timezone.utc)
    for doc in signed_docs:
        _passes_twice_the_second_time_from_the_cache(doc, trust)


def test_the_order_of_the_trust_store_does_not_change_the_outcome_key(signed_docs):
    """The same CAs and CRLs listed in another order (PostgreSQL returns rows in the order its pages hold them,
    which an update changes) are the same trust store: the outcome is reused (before: a new key each time)."""
    trust = default_trust().with_extra([_expired_root()])
    assert len(trust.roots) > 1 and len(trust.crls) > 1
    same = TrustStore(list(reversed(trust.roots)), list(reversed(trust.intermediates)), list(reversed(trust.crls)))
    assert same.content_key() == trust.content_key()
    for doc in signed_docs:
        _passes_twice_the_second_time_from_the_cache(doc, trust, same)
