"""Deferred signing: prepare here, the hash signed elsewhere (phone/SIM), finish later — the result is an
ordinary PAdES signature that pyHanko's validator and poppler's pdfsig accept."""

import shutil
import subprocess

import pytest

from kyso.core.errors import InvalidInput
from kyso.signing.deferred import PreparedPdf, finish_pdf, prepare_pdf
from kyso.signing.pdf import Appearance
from kyso.signing.verify import verify_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def signer_key(demo):
    from kyso.pki.ca import chain
    from kyso.pki.issuance import SubjectInfo, issue_for_public_key
    from kyso.pki.keystore import get_or_create_key

    key = get_or_create_key("deferred-test", "rsa2048")
    person = demo.user("lanhdao").person
    issued = issue_for_public_key(key.public_key(), "person",
                                  SubjectInfo(common_name=person.full_name, email=person.email, title=person.title),
                                  365, key_location="keystore:deferred-test")
    return key, issued.certificate, chain()[:-1]


def _pdf():
    from kyso.eoffice.drafting import render_draft

    return render_draft(organization="BẢO HIỂM XÃ HỘI VIỆT NAM", symbol_suffix="BHXH-CNTT", place="Hà Nội",
                        subject="V/v thử ký số hoãn", body="Nội dung thử nghiệm.", signer_title="Phó Tổng Giám đốc",
                        signer_name="Nguyễn Văn An")


def test_prepare_then_finish_gives_a_valid_pades(signer_key, tmp_path):
    key, cert, ca_chain = signer_key
    prepared = prepare_pdf(_pdf(), cert, chain=ca_chain, level="B-T",
                           appearance=Appearance(kind="leader", title="Phó Tổng Giám đốc", name="Nguyễn Văn An"))
    # What is kept between the two halves is data only: round-trip it as the e-office stores it.
    kept = PreparedPdf.from_dict(prepared.pdf, prepared.as_dict())
    signature = key.sign(kept.signed_attrs, "sha256")
    signed = finish_pdf(kept, cert, signature, chain=ca_chain)
    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.as_dict()
    if shutil.which("pdfsig"):
        path = tmp_path / "signed.pdf"
        path.write_bytes(signed)
        out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
        assert "Signature is Valid" in out


def test_a_wrong_signature_value_is_refused(signer_key):
    key, cert, ca_chain = signer_key
    prepared = prepare_pdf(_pdf(), cert, chain=ca_chain, level="B-B")
    bad = key.sign(b"something else", "sha256")
    with pytest.raises(InvalidInput) as exc:
        finish_pdf(prepared, cert, bad, chain=ca_chain)
    assert exc.value.code == "signing.deferred.bad_signature"


def test_malformed_pdf_is_refused(signer_key):
    _key, cert, ca_chain = signer_key
    with pytest.raises(InvalidInput) as exc:
        prepare_pdf(b"%PDF-1.7\nnot really", cert, chain=ca_chain)
    assert exc.value.code.startswith("signing.input")
