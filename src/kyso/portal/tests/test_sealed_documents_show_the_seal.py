"""What the office issues to a citizen or employer (receipt, supplement request, refusal, apology, result) shows
its organisation signature as Decree 30 draws one: the seal image at real size over the blank of the signer's
block (under "THỦ TRƯỞNG CƠ QUAN", above the office's name), with the office's name and the time of signing —
not an invisible signature a person cannot see on paper (issue 17). The result says what the office decided, for
which dossier and for whom, and is signed by the office's leader first — his stamp on the blank — with the seal
over the left third of his signature (Decree 30, Art. 32); each is kept as a PNG under var/test-output/documents."""

import io

from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from kyso.core.documents import OfficialDocument, SignatureBlock, render_pdf
from kyso.core.pdflayout import layout, to_png
from kyso.portal import documents
from kyso.portal.models import Dossier, DossierDocument
from kyso.portal.sealing import sealing_unit
from kyso.signing import images
from kyso.signing.decree30 import leader_box
from kyso.signing.pdf import SEAL_MM
from kyso.signing.verify import verify_bytes

from . import helpers as h

MM = 72 / 25.4


def test_the_render_tells_where_each_signers_blank_is():
    doc = OfficialDocument(title="Thông báo", signatures=[SignatureBlock(caption=["THỦ TRƯỞNG CƠ QUAN"],
                                                                         name="BHXH quận Ba Đình")])
    spots: list = []
    render_pdf(doc, spots=spots)
    assert len(spots) == 1
    page, (x1, y1, x2, y2) = spots[0]
    assert page == 0 and x2 - x1 > 40 * MM and abs((y2 - y1) - 22 * MM) < 0.5
    assert 0 < x1 < x2 <= 595 and 0 < y1 < y2 <= 842


def _sealed_over_the_blank(pdf: bytes, doc: OfficialDocument):
    """A valid organisation signature whose stamp, at real size, is centred on the blank of the signer's block
    of `doc` (the document as rendered before signing), on its last page."""
    report = verify_bytes(pdf)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    [sig] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    widget = sig.sig_field if "/Rect" in sig.sig_field else sig.sig_field["/Kids"][0]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert abs((x2 - x1) - SEAL_MM * MM) < 1 and abs((y2 - y1) - SEAL_MM * MM) < 1, "the seal at real size"
    assert widget["/AP"]["/N"].data, "a drawn stamp, not an invisible signature"
    spots: list = []
    render_pdf(doc, spots=spots)
    page, (sx1, sy1, sx2, sy2) = spots[-1]
    assert abs((x1 + x2) / 2 - (sx1 + sx2) / 2) < 1 and abs((y1 + y2) / 2 - (sy1 + sy2) / 2) < 1
    assert page == int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"]) - 1
    return x1, y1, x2, y2


def _rect(sig) -> tuple[float, ...]:
    widget = sig.sig_field if "/Rect" in sig.sig_field else sig.sig_field["/Kids"][0]
    return tuple(float(v) for v in widget["/Rect"])


def _red_share(png, box, page_height: float, dpi: int = 60) -> float:
    """The share of red ink (the seal) inside `box` (PDF points, from the bottom) of a page rendered at `dpi`."""
    k = dpi / 72
    x1, y1, x2, y2 = box
    with Image.open(png) as img:
        rgb = img.convert("RGB").crop((int(x1 * k), int((page_height - y2) * k), int(x2 * k), int((page_height - y1) * k)))
        pixels = list(rgb.getdata())
    return sum(1 for r, g, b in pixels if r > 150 and g < 110 and b < 110) / len(pixels)


def _with_a_seal_image(unit):
    """The office's seal image, as an administrator uploads it (and the demo stores it)."""
    unit = sealing_unit(unit)
    if images.seal_image_of(unit) is None:
        images.save_seal_image(unit, images.seal_png(unit.name))


def test_the_receipt_pdf_carries_the_offices_seal_over_its_signature_block(employer_api, signed_600):
    body = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json").json()
    pdf = employer_api.get(f"/api/v1/portal/dossiers/{body['code']}/documents/{body['documents'][0]['id']}/").content
    _sealed_over_the_blank(pdf, documents.receipt(Dossier.objects.get(code=body["code"])))
    assert to_png(pdf, "giay-tiep-nhan-ky")


def test_the_signed_result_says_what_was_decided_for_whom_and_shows_the_seal(api, employer, employer_api,
                                                                              signed_600):
    code = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600},
                             format="json").json()["code"]
    _with_a_seal_image(Dossier.objects.get(code=code).unit)
    steps = [(api("badinh"), "assign", ""), (api("motcua.bd"), "process", "Đủ điều kiện"),
             (api("lanhdao"), "approve", "Đồng ý"), (h.leader_api(), "sign", "Chấp thuận báo tăng 02 lao động từ tháng 12/2026")]
    for client, step, note in steps:
        extra = h.sign_fields() if step == "sign" else {}
        r = client.post(f"/api/v1/portal/dossiers/{code}/steps/", {"step": step, "note": note, **extra}, format="json")
        assert r.status_code == 200, r.content[:300]
    dossier = Dossier.objects.get(code=code)
    doc = DossierDocument.objects.get(dossier=dossier, kind="result")
    pdf = employer_api.get(f"/api/v1/portal/dossiers/{code}/documents/{doc.pk}/").content
    [png] = to_png(pdf, "ket-qua-ky")
    assert verify_bytes(pdf, doc_type="official").indication == "TOTAL_PASSED"
    # the leader's stamp fills the blank of the signer's block; the seal, at real size, over its left third
    leader_sig, seal_sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    spots: list = []
    render_pdf(documents.result(dossier, doc.data["note"]), spots=spots)
    _page, expected = leader_box(spots[-1])
    lx1, ly1, lx2, ly2 = _rect(leader_sig)
    assert all(abs(a - b) < 1 for a, b in zip((lx1, ly1, lx2, ly2), expected)), "the leader's stamp on the blank"
    box = x1, y1, x2, y2 = _rect(seal_sig)
    assert abs((x2 - x1) - SEAL_MM * MM) < 1 and abs(x2 - (lx1 + (lx2 - lx1) / 3)) < 1, "the seal over the leader's"
    page = layout(pdf)
    assert _red_share(png, box, page.height) > 0.05, "the red seal is seen on the page"
    text = page.text()
    title = page.find("THÔNG BÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    # what the office decided, on which dossier, for whom — in the body, under the title
    for words in (f"Mã hồ sơ: {code}", "Công ty TNHH Ánh Dương", "0101234567",
                  "Chấp thuận báo tăng 02 lao động từ tháng 12/2026", dossier.procedure.result_type, "600"):
        assert words in text, f"{words!r} missing from the result: {text[:600]!r}"
    decision = page.find("Chấp thuận báo tăng 02 lao động")
    assert decision.y0 > title.y1 and page.find("Tổ chức, cá nhân:").y0 > title.y1
    # the signer's block below the decision, on the right half (PDF points from the bottom: below is lower)
    assert ly2 < page.height - decision.y1 and lx1 > page.width / 2 - 40 * MM
