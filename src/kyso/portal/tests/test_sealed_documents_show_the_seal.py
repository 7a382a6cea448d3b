"""What the office issues to a citizen or employer (receipt, supplement request, refusal, apology, result) shows
its organisation signature as Decree 30 draws one: the seal image at real size over the blank of the signer's
block (under "THỦ TRƯỞNG CƠ QUAN", above the office's name), with the office's name and the time of signing —
not an invisible signature a person cannot see on paper (issue 17)."""

import io

from pyhanko.pdf_utils.reader import PdfFileReader

from kyso.core.documents import OfficialDocument, SignatureBlock, render_pdf
from kyso.portal import documents
from kyso.portal.models import Dossier
from kyso.signing.pdf import SEAL_MM
from kyso.signing.verify import verify_bytes

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


def test_the_receipt_pdf_carries_the_offices_seal_over_its_signature_block(employer_api, signed_600):
    body = employer_api.post("/api/v1/portal/dossiers/", {"procedure": "600", "files": signed_600}, format="json").json()
    pdf = employer_api.get(f"/api/v1/portal/dossiers/{body['code']}/documents/{body['documents'][0]['id']}/").content
    report = verify_bytes(pdf)
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    [sig] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    widget = sig.sig_field if "/Rect" in sig.sig_field else sig.sig_field["/Kids"][0]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert abs((x2 - x1) - SEAL_MM * MM) < 1 and abs((y2 - y1) - SEAL_MM * MM) < 1, "the seal at real size"
    assert widget["/AP"]["/N"].data, "a drawn stamp, not an invisible signature"
    # Centred on the blank of the signer's block of the same document.
    spots: list = []
    render_pdf(documents.receipt(Dossier.objects.get(code=body["code"])), spots=spots)
    page, (sx1, sy1, sx2, sy2) = spots[-1]
    assert abs((x1 + x2) / 2 - (sx1 + sx2) / 2) < 1 and abs((y1 + y2) / 2 - (sy1 + sy2) / 2) < 1
    assert page == int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"]) - 1
