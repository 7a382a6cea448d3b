"""The letter as it leaves the office — signed by the leader, then numbered, dated and sealed by the clerk — in
the layout of Decree 30/2020, Appendix I (issue 17, point 5), read on the issued file itself with poppler
(`pdftotext -bbox` for the words, the signature widgets for the drawn signature and seal) and kept as a PNG under
var/test-output/documents: number and symbol left with "V/v" under it and the urgency mark under that; place and
date under the motto, right; the signature block bottom right, the seal over the left third of the signature;
"Nơi nhận" bottom left."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from kyso.core.pdflayout import layout, to_png
from kyso.files.storage import read
from kyso.signing import images
from kyso.signing.verify import verify_bytes
from kyso.workdays.calendar import today

from .conftest import issued_by_hanoi

pytestmark = pytest.mark.django_db


def _widgets(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """Each signature's drawn box, in signing order, from the top of the page as `layout` measures."""
    reader = PdfFileReader(io.BytesIO(pdf))
    height = float(reader.root["/Pages"]["/Kids"][0]["/MediaBox"][3])
    boxes = []
    for sig in reader.embedded_signatures:
        w = sig.sig_field if "/Rect" in sig.sig_field else sig.sig_field["/Kids"][0]
        x1, y1, x2, y2 = (float(v) for v in w["/Rect"])
        boxes.append((x1, height - y2, x2, height - y1))
    return boxes


def test_the_issued_letter_in_the_decree_30_layout(demo, hn_leader, as_user):
    hanoi = demo.unit("HN")
    if images.seal_image_of(hanoi) is None:                     # the seal image an administrator uploads
        images.save_seal_image(hanoi, images.seal_png(hanoi.name))
    doc = issued_by_hanoi(demo, hn_leader, as_user, urgency="urgent")
    pdf = read(doc.issued_file)
    assert verify_bytes(pdf, doc_type="official", expected_title="Giám đốc").indication == "TOTAL_PASSED"
    assert to_png(pdf, "cong-van-da-ban-hanh")
    page = layout(pdf)
    mid = page.width / 2
    # the heading: number and symbol left, V/v under them, the urgency mark under V/v; place and date right
    number = page.find("Số:")
    summary = page.find("V/v triển khai ký số trên thiết bị di động")
    urgent = page.find("KHẨN")
    assert number.cx < mid and "1 /BHXH-VP" in page.text() and page.find("/BHXH-VP").cx < mid
    assert summary.y0 > number.y1 and summary.cx < mid and urgent.y0 > summary.y1 and urgent.cx < mid
    motto = page.find("Độc lập - Tự do - Hạnh phúc")
    day = today()
    place = page.find(f"Hà Nội, ngày {day:%d} tháng {day:%m} năm {day.year}")
    assert place.x0 > mid - 20 and place.y0 > motto.y1
    # the signature block bottom right: the leader's stamp at the right, its title level with "Nơi nhận"
    leader, seal = _widgets(pdf)
    dist, title = page.find("Nơi nhận:"), page.find("GIÁM ĐỐC")
    body_end = page.find("Trân trọng.")
    assert (leader[0] + leader[2]) / 2 > mid and leader[1] > body_end.y1, "the signature under the text, right"
    assert title.x0 >= leader[0] - 1 and title.x1 <= leader[2] + 1 and title.y0 < leader[1] + 20
    assert abs(title.y0 - dist.y0) < 12, "the signer's title level with Nơi nhận"
    assert dist.x1 < leader[0] and dist.y0 > body_end.y1, "Nơi nhận bottom left, not beside the text"
    assert page.find("Hồ Minh Phương").y0 > title.y1 + 40, "room for the signature between title and name"
    # the seal: 36 mm, over the left third of the signature, on its middle
    side = 36 * 72 / 25.4
    assert abs((seal[2] - seal[0]) - side) < 1 and abs((seal[3] - seal[1]) - side) < 1
    left_third = leader[0] + (leader[2] - leader[0]) / 3
    assert abs(seal[2] - left_third) < 1 and seal[0] < leader[0] + 1
    assert abs((seal[1] + seal[3]) / 2 - (leader[1] + leader[3]) / 2) < 1
    # the time on the seal in Vietnamese form; no ISO date anywhere
    assert f"{day:%d/%m/%Y}" in page.text() and "+07:00" in page.text() and f"{day:%Y-%m-%d}" not in page.text()
