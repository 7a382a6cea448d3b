"""PDFs signed by Kyso (PAdES B-B, B-T, B-LT, with the Decree 30 appearances) validate with poppler's
pdfsig and with pyHanko's own validator, and with Kyso's verifier."""

import io
import re

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from kyso.core.errors import InvalidInput, InvalidState
from kyso.signing.images import seal_png, signature_png
from kyso.signing.pdf import Appearance, sign_pdf
from kyso.signing.verify import verify_bytes

from .helpers import nss_chain_ok, nss_db, pdfsig


@pytest.fixture
def nss(tmp_path, chain):
    return nss_db(tmp_path / "nss", [chain[-1]])


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT"])
def test_pades_levels_validate_with_pdfsig_pyhanko_and_kyso(signer, chain, one_page_pdf, tmp_path, nss, level):
    issued, key = signer
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level=level)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)

    out = pdfsig(path, nss)
    assert "Signature is Valid" in out, out
    # pdfsig asks NSS to check the certificate online (CRL/OCSP at the URLs in the certificate, a server
    # that is not running during this test); NSS's own chain check proves the chain offline.
    assert "Chain is good" in nss_chain_ok(nss, [issued.certificate, chain[0]], tmp_path)

    vc = ValidationContext(trust_roots=[asn1_x509.Certificate.load(chain[-1].public_bytes(
        __import__("cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]).Encoding.DER))],
        allow_fetching=False, revocation_mode="soft-fail")
    emb = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    status = validate_pdf_signature(emb, vc)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()

    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert report.signatures[0].level == level
    if level != "B-B":
        assert report.signatures[0].timestamp_time is not None


def test_pdf_signed_with_a_softhsm_key(make, chain, one_page_pdf, tmp_path, nss):
    issued, key = make("person", key_spec="rsa2048", in_token=True)
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-T")
    (tmp_path / "hsm.pdf").write_bytes(signed)
    assert "Signature is Valid" in pdfsig(tmp_path / "hsm.pdf", nss)
    assert verify_bytes(signed).indication == "TOTAL_PASSED"


def test_leader_then_organisation_then_attachment_appearances(make, chain, one_page_pdf, tmp_path, nss):
    leader, leader_key = make("person", key_spec="rsa2048")
    org, org_key = make("organization", key_spec="rsa2048")
    signed = sign_pdf(one_page_pdf, leader_key, leader.certificate, chain=chain[:-1], level="B-T",
                      appearance=Appearance(kind="leader", caption="KT.", on_behalf_of="Giám đốc",
                                            title="Phó Giám đốc", name="Nguyễn Văn An", signature_image=signature_png("An")))
    signed = sign_pdf(signed, org_key, org.certificate, chain=chain[:-1], level="B-T",
                      appearance=Appearance(kind="organization", organization="BHXH quận Ba Đình",
                                            seal_image=seal_png("BHXH quận Ba Đình")))
    (tmp_path / "both.pdf").write_bytes(signed)
    out = pdfsig(tmp_path / "both.pdf", nss)
    assert out.count("Signature is Valid") == 2, out

    report = verify_bytes(signed)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert len(report.signatures) == 2

    text = PdfReader(io.BytesIO(signed)).pages[0].extract_text()
    # The visible appearances carry the caption, title, name, organisation and the time dd/mm/yyyy hh:mm:ss +07:00.
    reader = PdfFileReader(io.BytesIO(signed))
    fields = {s.field_name: s for s in reader.embedded_signatures}
    assert set(fields) == {"Signature1", "Signature2"}
    ap_text = _appearance_text(signed)
    assert "KT. GIÁM ĐỐC" in ap_text and "PHÓ GIÁM ĐỐC" in ap_text and "Nguyễn Văn An" in ap_text, ap_text
    assert "BHXH quận Ba Đình" in ap_text and "+07:00" in ap_text, ap_text
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d \+07:00", ap_text), ap_text
    assert text is not None

    # The seal covers the left third of the leader's signature box.
    r1 = [float(v) for v in fields["Signature1"].sig_field["/Rect"]]
    r2 = [float(v) for v in fields["Signature2"].sig_field["/Rect"]]
    assert abs(r2[2] - (r1[0] + (r1[2] - r1[0]) / 3)) < 1
    assert abs((r2[2] - r2[0]) - 36 * 72 / 25.4) < 1, "the seal at its real size (36 mm)"


def test_attachment_signature_top_right_of_first_page(make, chain, one_page_pdf):
    org, org_key = make("organization", key_spec="rsa2048")
    signed = sign_pdf(one_page_pdf, org_key, org.certificate, chain=chain[:-1], level="B-T",
                      appearance=Appearance(kind="attachment", organization="BHXH quận Ba Đình",
                                            document_number="15/QĐ-BHXH"))
    emb = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    x1, y1, x2, y2 = (float(v) for v in emb.sig_field["/Rect"])
    assert x2 > 595 - 40 and y2 > 842 - 40, "top right corner"
    assert "15/QĐ-BHXH" in _appearance_text(signed)
    assert verify_bytes(signed).indication == "TOTAL_PASSED"


def test_organisation_signature_needs_the_competent_persons_first(make, chain, one_page_pdf):
    org, org_key = make("organization", key_spec="rsa2048")
    with pytest.raises(InvalidState) as exc:
        sign_pdf(one_page_pdf, org_key, org.certificate, appearance=Appearance(kind="organization",
                                                                              organization="BHXH quận Ba Đình"))
    assert exc.value.code == "signing.pdf.organization_before_leader"
    # An earlier organisation signature (e.g. an attachment stamp) is not the competent person's.
    stamped = sign_pdf(one_page_pdf, org_key, org.certificate, level="B-B",
                       appearance=Appearance(kind="attachment", document_number="15/QĐ-BHXH"))
    with pytest.raises(InvalidState) as exc:
        sign_pdf(stamped, org_key, org.certificate, level="B-B",
                 appearance=Appearance(kind="organization", organization="BHXH quận Ba Đình"))
    assert exc.value.code == "signing.pdf.organization_before_leader"


def test_bad_appearance_input(signer, one_page_pdf):
    issued, key = signer
    with pytest.raises(InvalidInput) as exc:
        sign_pdf(one_page_pdf, key, issued.certificate, appearance=Appearance(kind="leader", caption="XYZ."))
    assert exc.value.code == "signing.appearance.caption"
    with pytest.raises(InvalidInput) as exc:
        sign_pdf(one_page_pdf, key, issued.certificate, appearance=Appearance(kind="attachment"))
    assert exc.value.code == "signing.appearance.document_number"
    with pytest.raises(InvalidInput) as exc:
        sign_pdf(b"not a pdf", key, issued.certificate)
    assert exc.value.code == "signing.input.not_pdf"


def _appearance_text(pdf: bytes) -> str:
    """Text drawn in the signature widgets' appearance streams (decoded through the font's ToUnicode)."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for annot in reader.pages[0].get("/Annots") or []:
        annot = annot.get_object()
        if annot.get("/FT") != "/Sig" and (annot.get("/Parent") or {}).get("/FT") != "/Sig":
            continue
        ap = annot["/AP"]["/N"].get_object()
        from pypdf import PageObject

        page = PageObject.create_blank_page(width=600, height=900)
        page[__import__("pypdf").generic.NameObject("/Resources")] = ap.get("/Resources", {})
        page.replace_contents(ap)
        try:
            out.append(_xobject_text(ap))
        except Exception:  # noqa: BLE001
            pass
    return "\n".join(out)


def _xobject_text(xobj) -> str:
    from pypdf import PageObject
    from pypdf.generic import NameObject

    text = []
    page = PageObject.create_blank_page(width=600, height=900)
    page[NameObject("/Resources")] = xobj.get("/Resources", {})
    page.replace_contents(xobj)
    text.append(page.extract_text() or "")
    for sub in (xobj.get("/Resources", {}).get("/XObject") or {}).values():
        sub = sub.get_object()
        if sub.get("/Subtype") == "/Form":
            text.append(_xobject_text(sub))
    return "\n".join(text)


def test_b_lt_embeds_ocsp_responses_in_the_dss(signer, chain, one_page_pdf):
    issued, key = signer
    signed = sign_pdf(one_page_pdf, key, issued.certificate, chain=chain[:-1], level="B-LT")
    dss = PdfFileReader(io.BytesIO(signed)).root["/DSS"]
    # our responders' answers for the signer, the issuing CA and the TSA (test_pades_lta checks which)
    assert len(dss["/OCSPs"]) >= 3


def test_leader_title_and_name_are_centred_above_and_below_the_image():
    """Decree 30, Appendix I: title (with KT./TL./TUQ.) and name centred, the signature image between them."""
    from pypdf import PdfReader as Reader

    from kyso.signing.pdf import leader_page

    width, height = 210.0, 130.0
    pdf = leader_page(width, height, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Nguyễn Văn An", signature_png("An"))
    page = Reader(io.BytesIO(pdf)).pages[0]
    spans = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: text.strip() and spans.append((text.strip(), tm, size)))
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from kyso.core.documents.pdf import register_fonts

    font = register_fonts() + "-Bold"
    ys = {}
    for text, tm, size in spans:
        centre = tm[4] + stringWidth(text, font, size) / 2
        assert abs(centre - width / 2) < 1, (text, centre)
        ys[text] = tm[5]
    assert ys["KT. GIÁM ĐỐC"] > ys["PHÓ GIÁM ĐỐC"] > ys["Nguyễn Văn An"]
    assert "/Image" in str(page["/Resources"]["/XObject"][next(iter(page["/Resources"]["/XObject"]))].get_object()["/Subtype"])
