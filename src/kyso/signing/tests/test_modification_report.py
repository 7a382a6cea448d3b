"""The modification report of a PDF signature (issue 14, what to build 1 and 2): per signature the change level,
the objects, pages and fields changed after it, and in Vietnamese what a person sees differently — in the JSON,
on the verify page and in the PDF report, for form filling, an annotation and a shadow replace."""

from __future__ import annotations

import html as html_text
import io
import subprocess
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from rest_framework.test import APIClient

from . import corpus_pdf as P
from .corpus_kit import Kit
from .test_verdict_corpus import _blank_field_signed, _signed

EMPTY_AREA = "hiển thị nội dung mới ở vùng trống"
OVER_SIGNED = "được vẽ đè lên nội dung đã ký"


def _field_object(data: bytes) -> int:
    return PdfFileReader(io.BytesIO(data)).root["/AcroForm"]["/Fields"].raw_get(0).idnum


def _last_annotation(data: bytes) -> int:
    page = PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Kids"][0]
    return page["/Annots"].raw_get(len(page["/Annots"]) - 1).idnum


CASES = [
    # id, builder, level, fields, the changed object, the sentence, permitted
    ("form-filling", lambda k: P.fill_field(_blank_field_signed(k), b"Da nhan"), "form_filling", ["Ghi chu"],
     _field_object, f"Trang 1: ô biểu mẫu \"Ghi chu\" {EMPTY_AREA}.", True),
    ("annotation-p3", lambda k: P.add_annotation(k.pdf.sign(P.base_pdf(), certify=MDPPerm.ANNOTATE), P.BLANK_RECT),
     "annotations", [], _last_annotation, EMPTY_AREA, True),
    ("shadow-replace", lambda k: P.fill_field(_signed(k, field=True)), "form_filling", ["Ghi chu"], _field_object,
     f"Trang 1: ô biểu mẫu \"Ghi chu\" {OVER_SIGNED}", False),
]


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_modification_report_in_json_page_and_pdf(make, chain, client, case, tmp_path):
    name, build, level, fields, changed, sentence, permitted = case
    data = build(Kit(make, chain))
    api = APIClient().post("/api/v1/verify", {"file": SimpleUploadedFile(f"{name}.pdf", data)}, format="multipart",
                           HTTP_ACCEPT_LANGUAGE="vi").json()
    m = api["signatures"][0]["modifications"]
    assert (m["level"], m["pages"], m["fields"], m["permitted"]) == (level, [1], fields, permitted), m
    assert m["revisions"] == 1 and changed(data) in m["objects"], (changed(data), m)
    assert all(isinstance(n, int) for n in m["objects"])
    assert any(sentence in v for v in m["visible"]), m["visible"]
    assert m["level_label"] == {"form_filling": "điền biểu mẫu và ký thêm",
                                "annotations": "thêm ghi chú (chú thích)"}[level]

    html = client.post("/signing/verify/", {"file": SimpleUploadedFile(f"{name}.pdf", data), "as": "html"},
                       HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    page = _words(html_text.unescape(html))
    assert "Thay đổi sau chữ ký này" in page and m["level_label"] in page
    assert sentence in page
    assert all(f in page for f in fields) and str(changed(data)) in page

    pdf = client.post("/signing/verify/", {"file": SimpleUploadedFile(f"{name}.pdf", data), "as": "pdf"},
                      HTTP_ACCEPT_LANGUAGE="vi").content
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = _words(subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                                 check=True).stdout.decode())
    assert "Thay đổi sau chữ ký này" in text and "Điều người đọc thấy khác đi" in text
    assert _words(sentence) in text, text
    assert str(changed(data)) in text
