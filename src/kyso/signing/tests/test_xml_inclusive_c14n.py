"""Inclusive canonicalisation (C14N 1.0 and 1.1) is the XMLDSig default and what .NET, Java and many e-dossier
tools sign with. Every such signature made by xmlsec1 was TOTAL_FAILED / SIG_CRYPTO_FAILURE: libxml2 2.14,
canonicalising a SignedInfo inside its document, writes `xmlns=""` on its descendants. Kyso canonicalises the
element on its own (namespaces in scope and inherited xml: attributes on it): the genuine signatures pass, as
xmlsec1 says, and a change to what they sign still fails."""

import pytest

from kyso.signing.verify import verify_bytes

from .helpers import key_pem, pem, run

C14N10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N11 = "http://www.w3.org/2006/12/xml-c14n11"

SIGNATURE = """<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>
<CanonicalizationMethod Algorithm="{c14n}"/>
<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
<Reference URI="{uri}"><Transforms>{enveloped}<Transform Algorithm="{c14n}"/></Transforms>
<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo>
<SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>"""
ENVELOPED = '<Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'

DOCUMENTS = {
    "default-namespace": ('<HoSo xmlns="http://kyso.vss.gov.vn/hoso/1"><MaThuTuc>600</MaThuTuc>{sig}</HoSo>', ""),
    "no-namespace": ("<HoSo><MaThuTuc>600</MaThuTuc>{sig}</HoSo>", ""),
    "prefixes-in-scope": ('<h:HoSo xmlns:h="urn:hoso" xmlns:x="urn:unused"><h:MaThuTuc>600</h:MaThuTuc>{sig}'
                          "</h:HoSo>", ""),
    "xml-lang-inherited": ('<HoSo xml:lang="vi" xmlns:a="urn:a" a:b="1"><MaThuTuc>600</MaThuTuc>{sig}</HoSo>', ""),
    "by-id": ('<HoSo xmlns="urn:hoso" Id="hs1" xmlns:q="urn:q"><MaThuTuc>600</MaThuTuc>{sig}</HoSo>', "#hs1"),
}


def _sign(tmp_path, issued, key, template: str) -> bytes:
    (tmp_path / "key.pem").write_bytes(key_pem(key.private_key()))
    (tmp_path / "cert.pem").write_bytes(pem(issued.certificate))
    (tmp_path / "tpl.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + template)
    result = run("xmlsec1", "--sign", "--privkey-pem", f"{tmp_path / 'key.pem'},{tmp_path / 'cert.pem'}",
                 "--id-attr:Id", "HoSo", "--output", tmp_path / "out.xml", tmp_path / "tpl.xml")
    assert result.returncode == 0, result.stderr
    out = (tmp_path / "out.xml").read_bytes()
    check = run("xmlsec1", "--verify", "--insecure", "--id-attr:Id", "HoSo", tmp_path / "out.xml")
    assert check.returncode == 0, check.stderr           # the independent tool accepts it
    return out


@pytest.mark.parametrize("c14n", [C14N10, C14N11], ids=["c14n10", "c14n11"])
@pytest.mark.parametrize("shape", sorted(DOCUMENTS))
def test_an_inclusive_signature_made_by_xmlsec1_passes_and_a_change_fails(make, tmp_path, c14n, shape):
    issued, key = make("person", key_spec="rsa2048")
    body, uri = DOCUMENTS[shape]
    signature = SIGNATURE.format(c14n=c14n, uri=uri, enveloped=ENVELOPED)
    signed = _sign(tmp_path, issued, key, body.format(sig=signature))
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", (report.sub_indication, [(c.code, str(c.message)) for s in report.signatures for c in s.checks if c.ok is not True])
    changed = verify_bytes(signed.replace(b">600<", b">601<"))
    assert (changed.indication, changed.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE"), changed.to_dict()
    if shape == "xml-lang-inherited":
        # the language is inherited into SignedInfo's canonical form (C14N 1.0 and 1.1): changing it breaks it
        moved = verify_bytes(signed.replace(b'xml:lang="vi"', b'xml:lang="en"'))
        assert moved.indication == "TOTAL_FAILED", moved.to_dict()
