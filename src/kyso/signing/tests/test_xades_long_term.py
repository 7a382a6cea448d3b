"""XAdES B-LT and B-LTA (ETSI EN 319 132-1): the signature carries every certificate and revocation value for
signer, CA and time-stamping authority, so it verifies TOTAL_PASSED offline with only the root; archive
time-stamps cover it and `extend` renews it; xmlsec1 still verifies the core signature; the report says the
level really found."""

import base64

import pytest
from cryptography import x509
from lxml import etree

from kyso.pki.ca import get_ca, responder
from kyso.signing.longterm import extend
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes
from kyso.signing.xades_lt import XADES141
from kyso.signing.xml import DS, XADES, sign_xml

from .helpers import cli_sign_b_lta_and_extend, pem, xmlsec_verify


def _root_only(chain) -> TrustStore:
    """Another installation: only the root, no revocation data of its own, no network."""
    return TrustStore(roots=[chain[-1]], allow_fetching=False)


def _xmlsec_ok(tmp_path, data, chain) -> bool:
    (tmp_path / "doc.xml").write_bytes(data)
    (tmp_path / "root.pem").write_bytes(pem(chain[-1]))
    result = xmlsec_verify(tmp_path / "doc.xml", tmp_path / "root.pem")
    return result.returncode == 0 and b"OK" in result.stderr


def _usp(data):
    return etree.fromstring(data).find(f".//{{{XADES}}}UnsignedSignatureProperties")


def _ocsp_serials(usp) -> set[str]:
    from cryptography.x509 import ocsp

    return {format(ocsp.load_der_ocsp_response(base64.b64decode(el.text)).serial_number, "x")
            for el in usp.iter(f"{{{XADES}}}EncapsulatedOCSPValue")}


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_xml_verifies_offline_with_only_the_root(signer, chain, dossier_xml, tmp_path, level):
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level=level)
    usp = _usp(signed)
    certs = [x509.load_der_x509_certificate(base64.b64decode(el.text))
             for el in usp.iter(f"{{{XADES}}}EncapsulatedX509Certificate")]
    tsa_cert = responder(get_ca(), "tsa")[0].certificate
    assert {issued.certificate, *chain, tsa_cert} <= set(certs)
    assert {format(c.serial_number, "x") for c in (issued.certificate, chain[0], tsa_cert)} <= _ocsp_serials(usp)
    assert (usp.find(f"{{{XADES141}}}ArchiveTimeStamp") is not None) == (level == "B-LTA")

    assert _xmlsec_ok(tmp_path, signed, chain)
    report = verify_bytes(signed, trust=_root_only(chain))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == level


def test_b_t_reports_b_t_and_is_not_complete_offline(signer, chain, dossier_xml):
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-T")
    assert verify_bytes(signed).signatures[0].level == "B-T"
    offline = verify_bytes(signed, trust=_root_only(chain))
    assert offline.signatures[0].level == "B-T"
    assert offline.indication == "INDETERMINATE"      # no revocation data in it, none on the other machine


def test_extend_renews_an_xml_archive(signer, chain, dossier_xml, tmp_path):
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    once = extend(signed)
    twice = extend(once)
    usp = _usp(twice)
    assert len(usp.findall(f"{{{XADES141}}}ArchiveTimeStamp")) == 3
    assert usp.find(f"{{{XADES141}}}TimeStampValidationData") is not None
    # the original signature element is unchanged except for the properties added at its end
    assert etree.tostring(etree.fromstring(signed).find(f"{{{DS}}}Signature/{{{DS}}}SignedInfo")) == \
        etree.tostring(etree.fromstring(twice).find(f"{{{DS}}}Signature/{{{DS}}}SignedInfo"))
    assert _xmlsec_ok(tmp_path, twice, chain)
    report = verify_bytes(twice, trust=_root_only(chain))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    sig = report.signatures[0]
    assert sig.level == "B-LTA"
    assert [c.code for c in sig.checks].count("timestamp.archive") == 3


def test_extend_turns_b_t_into_b_lta(signer, chain, dossier_xml):
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-T")
    report = verify_bytes(extend(signed), trust=_root_only(chain))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == "B-LTA"


def test_a_value_removed_after_the_archive_time_stamp_is_caught(signer, chain, dossier_xml, tmp_path):
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-LTA")
    root = etree.fromstring(signed)
    values = root.find(f".//{{{XADES}}}OCSPValues")
    values.remove(values[0])
    tampered = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert _xmlsec_ok(tmp_path, tampered, chain)      # the core signature does not see unsigned properties
    sig = verify_bytes(tampered).signatures[0]
    assert sig.level == "B-LT"
    assert "timestamp.archive_invalid" in sig.codes


def test_cli_signs_xml_b_lta_and_extends(signer, chain, dossier_xml, tmp_path):
    renewed = cli_sign_b_lta_and_extend(tmp_path, signer, chain, "xml", "hoso.xml", dossier_xml,
                                        "lta.xml").read_bytes()
    assert len(_usp(renewed).findall(f"{{{XADES141}}}ArchiveTimeStamp")) == 2
    report = verify_bytes(renewed, trust=_root_only(chain))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == "B-LTA"
