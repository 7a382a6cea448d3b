"""XML e-dossiers signed by Kyso (XAdES B-B / B-T, RSA and ECDSA, software and SoftHSM keys) verify
with xmlsec1 — a tool nobody here wrote — and with Kyso's own verifier."""

import pytest
from lxml import etree

from kyso.core.errors import InvalidInput
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import DS, XADES, sign_xml

from .helpers import pem, xmlsec_verify


@pytest.mark.parametrize("key_spec,in_token", [("rsa2048", False), ("p256", False), ("rsa2048", True)])
def test_signed_dossier_verifies_with_xmlsec1_and_kyso(make, chain, dossier_xml, tmp_path, key_spec, in_token):
    issued, key = make("person", key_spec=key_spec, in_token=in_token)
    signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1])
    path = tmp_path / "hoso.xml"
    path.write_bytes(signed)
    (tmp_path / "root.pem").write_bytes(pem(chain[-1]))
    result = xmlsec_verify(path, tmp_path / "root.pem")
    assert result.returncode == 0, result.stderr.decode()
    assert b"OK" in result.stderr

    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    sig = report.signatures[0]
    assert sig.kind == "XAdES" and sig.level == "B-B"
    assert sig.signer == issued.common_name
    assert sig.signing_time is not None


def test_xades_t_carries_a_timestamp_from_our_tsa(signer, chain, dossier_xml, tmp_path):
    issued, key = signer
    signed = sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-T")
    root = etree.fromstring(signed)
    assert root.find(f".//{{{XADES}}}SignatureTimeStamp/{{{XADES}}}EncapsulatedTimeStamp") is not None
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == "B-T"
    assert report.signatures[0].timestamp_time is not None
    # xmlsec1 ignores the unsigned properties and still accepts the signature.
    (tmp_path / "t.xml").write_bytes(signed)
    (tmp_path / "root.pem").write_bytes(pem(chain[-1]))
    assert xmlsec_verify(tmp_path / "t.xml", tmp_path / "root.pem").returncode == 0


def test_the_signature_covers_the_whole_document(signer, chain, dossier_xml):
    issued, key = signer
    root = etree.fromstring(sign_xml(dossier_xml, key, issued.certificate))
    sig = root.find(f"{{{DS}}}Signature")
    assert sig is not None, "enveloped: the signature is a child of the root"
    uris = [ref.get("URI") for ref in sig.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")]
    assert "" in uris


def test_an_already_signed_dossier_is_not_signed_twice(signer, dossier_xml):
    issued, key = signer
    once = sign_xml(dossier_xml, key, issued.certificate)
    with pytest.raises(InvalidInput) as exc:
        sign_xml(once, key, issued.certificate)
    assert exc.value.code == "signing.xml.already_signed"


def test_unknown_level_is_refused(signer, dossier_xml):
    issued, key = signer
    with pytest.raises(InvalidInput) as exc:
        sign_xml(dossier_xml, key, issued.certificate, level="B-LTX")
    assert exc.value.code == "signing.level.unsupported"
