"""A time-stamp's chain is built with the certificates the signature carries (EN 319 102-1, 5.2.6: the
certificates of the signature are an input of the chain building). Kyso's time-stamp tokens hold only the
authority's own certificate; the issuing CA above it is in the PDF signature's certificate set and in the XML
KeyInfo. A relying party with the root and the CRLs of the day (`kyso verify --trust root.pem --trust …crl`) got
TOTAL_PASSED for a CMS B-T but INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND — "the time-stamping authority is not
trusted" — for the same PDF or XML B-T: only the CMS's certificates were used."""

import pytest

from kyso.pki import revinfo
from kyso.signing.cades import sign_cms
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import sign_xml

CONTENT = "Bảng kê hồ sơ\n".encode()


@pytest.mark.parametrize("kind", ["pdf", "xml", "cms"])
def test_a_b_t_signature_verifies_with_the_root_and_the_crls_of_the_day(signer, chain, one_page_pdf, dossier_xml,
                                                                         kind):
    issued, key = signer
    sign = {"pdf": lambda: sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-T"),
            "xml": lambda: sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-T"),
            "cms": lambda: sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-T")}[kind]
    relying_party = TrustStore(roots=[chain[-1]], crls=[revinfo.current_crl(ca) for ca in chain])
    report = verify_bytes(sign(), trust=relying_party, **({"content": CONTENT} if kind == "cms" else {}))
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == "B-T"
