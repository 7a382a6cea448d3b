"""Administrative documents render as PDF and DOCX with the Decree 30 header, in Vietnamese."""

import datetime as dt
import io

import docx
import pypdf

from kyso.core import documents as d


def _doc():
    return d.OfficialDocument(
        title="Danh sách đề nghị cấp chứng thư số", governing_body="Bảo hiểm xã hội Việt Nam",
        issuer="BHXH thành phố Hà Nội", number="Số: 15/DS-BHXH", place="Hà Nội", date=dt.date(2026, 2, 5),
        recipient="Trung tâm Công nghệ thông tin", form_label="Mẫu số 02",
        blocks=[d.FieldLine([d.Field("Số lượng đăng ký", "2")]),
                d.Checkbox("Giới tính", [("Nam", True), ("Nữ", False)]),
                d.Table(["STT", "Họ tên", "Ngày sinh"], [["1", "Nguyễn Văn Bình", "14/03/1985"], ["2", "Phạm Thị Lan", "02/01/2003"]]),
                d.Paragraph("Đề nghị cấp chứng thư số cho các thuê bao có tên trên.", indent=True)],
        signatures=[d.SignatureBlock(["NGƯỜI LẬP"], "Trần Thị Hà", "(Ký, ghi rõ họ tên)"),
                    d.SignatureBlock(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Lê Văn Sơn", "(Ký tên, đóng dấu)")],
        distribution=["Như trên", "Lưu: VT, CNTT"],
    )


def test_date_phrase_follows_decree_30():
    assert d.vn_date_phrase("Hà Nội", dt.date(2026, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2026"
    assert d.vn_date_phrase("Hà Nội", dt.date(2015, 4, 6)) == "Hà Nội, ngày 06 tháng 4 năm 2015"


def test_pdf_has_the_vietnamese_text():
    pdf = d.render_pdf(_doc())
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BHXH THÀNH PHỐ HÀ NỘI",
                     "Số: 15/DS-BHXH", "Hà Nội, ngày 05 tháng 02 năm 2026", "DANH SÁCH ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ",
                     "Kính gửi: Trung tâm Công nghệ thông tin", "Nguyễn Văn Bình", "KT. GIÁM ĐỐC", "Mẫu số 02"]:
        assert expected in text, expected


def test_docx_has_the_vietnamese_text():
    data = d.render_docx(_doc())
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                text += "\n" + cell.text
    for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hà Nội, ngày 05 tháng 02 năm 2026", "Phạm Thị Lan", "PHÓ GIÁM ĐỐC"]:
        assert expected in text, expected
    assert document.styles["Normal"].font.name == "Times New Roman"
