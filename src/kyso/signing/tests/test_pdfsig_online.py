"""poppler's pdfsig, with NSS checking revocation online at the URLs in the certificate (our CRL and
OCSP responder, served by a live Kyso): signature valid and certificate trusted."""

import pytest

from kyso.signing.pdf import Appearance, sign_pdf
from kyso.signing.images import signature_png

from .helpers import nss_db, pdfsig


@pytest.mark.django_db(transaction=True)
def test_pdfsig_trusts_the_certificate_with_our_live_crl_and_ocsp(live_server, settings, tmp_path, one_page_pdf):
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.pki.ca import chain as ca_chain
    from kyso.pki.bootstrap import ensure_ca
    from kyso.pki.testing import make_signer

    settings.KYSO_BASE_URL = live_server.url          # the AIA / CRL URLs printed in the new certificate
    with acting_as(label="test"), transaction.atomic():
        ensure_ca()
        issued, key = make_signer("person", key_spec="rsa2048")
    chain = ca_chain()
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-T",
                      appearance=Appearance(kind="leader", title="Giám đốc", name="Nguyễn Văn Thử",
                                            signature_image=signature_png()))
    (tmp_path / "signed.pdf").write_bytes(signed)
    out = pdfsig(tmp_path / "signed.pdf", nss_db(tmp_path / "nss", [chain[-1]]))
    assert "Signature is Valid" in out, out
    assert "Certificate is Trusted" in out, out
    assert "Total document signed" in out, out
