"""A time-stamping authority whose chain reaches an accepted root but whose revocation data is missing is
INDETERMINATE / TRY_LATER (EN 319 102-1, 5.2.5–5.2.6), as the signer's own certificate is — not "the time-stamping
authority is not trusted" / NO_CERTIFICATE_CHAIN_FOUND, which sent a relying party with the right root (a B-T
verified offline on another installation) looking for another root instead of the day's CRLs."""

import pytest

from kyso.signing.cades import sign_cms
from kyso.signing.pdf import sign_pdf
from kyso.signing.trust import TrustStore
from kyso.signing.verify import verify_bytes
from kyso.signing.xml import sign_xml

CONTENT = "Bảng kê hồ sơ\n".encode()


@pytest.mark.parametrize("kind", ["pdf", "xml", "cms"])
def test_a_b_t_signature_with_only_the_root_asks_for_revocation_data(signer, chain, one_page_pdf, dossier_xml, kind):
    issued, key = signer
    sign = {"pdf": lambda: sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-T"),
            "xml": lambda: sign_xml(dossier_xml, key, issued.certificate, chain=chain[:-1], level="B-T"),
            "cms": lambda: sign_cms(CONTENT, key, issued.certificate, chain=chain[:-1], level="B-T")}[kind]
    report = verify_bytes(sign(), trust=TrustStore(roots=[chain[-1]]),
                          **({"content": CONTENT} if kind == "cms" else {}))
    sig = report.signatures[0]
    assert (report.indication, report.sub_indication) == ("INDETERMINATE", "TRY_LATER"), report.to_dict()
    assert "timestamp.revocation_unknown" in sig.codes and "timestamp.untrusted" not in sig.codes, sig.codes
