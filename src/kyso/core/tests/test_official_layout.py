"""Documents in the layout of Decree 30/2020/NĐ-CP, Appendix I (issue 17, point 5), checked by where the words
stand on the rendered page (poppler's pdftotext -bbox), each page kept as a PNG under var/test-output/documents:
the issuing body left and the national motto right; the number and symbol left with "V/v …" under it; the
urgency and confidentiality marks under them; place and date in Vietnamese under the motto; "Nơi nhận:" at the
bottom left, level with or below the signature block, which stands at the right."""

import datetime as dt

from kyso.core import pagecheck
from kyso.core.documents import OfficialDocument, Paragraph, SignatureBlock, render_pdf
from kyso.core.pdflayout import layout, rules, to_png
from kyso.eoffice.drafting import render_draft

BODY = ("Thực hiện Quyết định số 508/QĐ-BHXH, Bảo hiểm xã hội thành phố Hà Nội đề nghị các đơn vị rà soát danh "
        "sách thuê bao chứng thư số.\n\nĐề nghị các đơn vị thực hiện và báo cáo trước ngày 15/02/2026./.")


def _letter(**kw) -> bytes:
    return render_draft(organization="Bảo hiểm xã hội thành phố Hà Nội", governing_body="Bảo hiểm xã hội Việt Nam",
                        symbol_suffix="BHXH-CNTT", place="Hà Nội", subject="Về việc rà soát thuê bao chứng thư số",
                        body=BODY, recipient="Bảo hiểm xã hội các quận, huyện",
                        distribution=["Như trên", "Giám đốc (để b/c)", "Lưu: VT, CNTT"], day=dt.date(2026, 2, 5),
                        **kw)


def test_a_letter_in_the_decree_30_layout():
    pdf = _letter(urgency="urgent", confidentiality="MẬT")
    assert to_png(pdf, "cong-van-khan")
    page = layout(pdf)
    mid = page.width / 2
    motto, motto2 = page.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), page.find("Độc lập - Tự do - Hạnh phúc")
    body, issuer = page.find("BẢO HIỂM XÃ HỘI VIỆT NAM"), page.find("BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI")
    assert motto.cx > mid and motto2.cx > mid and motto2.y0 > motto.y0              # motto at the right
    assert body.cx < mid and issuer.cx < mid and issuer.y0 > body.y0                # issuing body at the left
    lines = rules(pdf)
    under_issuer = next(r for r in lines if issuer.y1 - 2 < r.y0 < issuer.y1 + 12 and r.cx < mid)
    issuer_line = page.find("BẢO HIỂM XÃ HỘI THÀNH PHỐ")                          # its first (longest) line
    assert abs(under_issuer.cx - issuer_line.cx) < 3                                # centred under the issuer
    assert issuer_line.x1 - issuer_line.x0 < 3 * (under_issuer.x1 - under_issuer.x0) + 3
    assert 2 * (under_issuer.x1 - under_issuer.x0) < issuer_line.x1 - issuer_line.x0 + 3   # a third to a half
    under_motto = next(r for r in lines if motto2.y1 - 2 < r.y0 < motto2.y1 + 12 and r.cx > mid)
    assert abs(under_motto.cx - motto2.cx) < 3 and abs(under_motto.x1 - under_motto.x0 - (motto2.x1 - motto2.x0)) < 6
    number = page.find("Số:")
    summary = page.find("V/v rà soát thuê bao chứng thư số")
    assert number.cx < mid and summary.y0 > number.y1 and abs(summary.cx - issuer.cx) < 40   # V/v under the number
    secret, urgent = page.find("MẬT"), page.find("KHẨN")
    assert secret.y0 > summary.y1 and urgent.y0 > secret.y1 and urgent.cx < mid     # marks under V/v, left
    place = page.find("Hà Nội, ngày")
    assert place.x0 > mid - 20 and place.y0 > motto2.y1                             # place and date under the motto
    recipient = page.find("Kính gửi:")
    assert recipient.y0 > summary.y1 and page.find("Đề nghị các đơn vị").y0 > recipient.y1
    dist = page.find("Nơi nhận:")
    assert dist.x0 < mid and dist.y0 > page.find("trước ngày 15/02/2026./.").y1      # bottom left, after the text
    assert page.count("V/v") == 1 and "Về việc" not in page.text()
    assert not [p for p in pagecheck.problems(f"<p>{page.text()}</p>") if p.kind.startswith("iso")]


def test_a_letter_without_urgency_has_no_mark():
    page = layout(_letter(urgency="normal"))
    assert "KHẨN" not in page.text() and "HỎA TỐC" not in page.text()
    assert "THƯỢNG KHẨN" in layout(_letter(urgency="very_urgent")).text()
    assert "HỎA TỐC" in layout(_letter(urgency="express")).text()


def test_nơi_nhận_below_left_of_the_signature_block():
    doc = OfficialDocument(
        title="THÔNG BÁO", subtitle="Về việc thời điểm có hiệu lực của chứng thư số", governing_body="BẢO HIỂM XÃ HỘI VIỆT NAM",
        issuer="TRUNG TÂM CÔNG NGHỆ THÔNG TIN", number="Số: 12/TB-CNTT", place="Hà Nội", date=dt.date(2026, 11, 3),
        recipient="Ban Cơ yếu Chính phủ", blocks=[Paragraph(BODY, indent=True)],
        signatures=[SignatureBlock(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Nguyễn Văn Minh")],
        distribution=["Như trên", "Lưu: VT"])
    pdf = render_pdf(doc)
    assert to_png(pdf, "thong-bao-ky")
    page = layout(pdf)
    caption, name, dist = page.find("KT. GIÁM ĐỐC"), page.find("Nguyễn Văn Minh"), page.find("Nơi nhận:")
    assert caption.cx > page.width / 2 and name.y0 > caption.y1 + 40                 # room for the signature and seal
    assert dist.x1 < caption.x0 and dist.y0 >= caption.y0 - 1                          # left of it, not above it
    assert page.find("Hà Nội, ngày 03 tháng 11 năm 2026").cx > page.width / 2
