"""The number and the issue date are written into the document itself (Decree 30, Art. 15-16): the draft carries
empty form fields after "Số:" and in the date line; the clerk's step fills them in a revision after the leader's
signature — form filling, which leaves that signature valid — and seals over it."""

import io
import shutil
import subprocess

import pytest

from kyso.core.documents.model import ISSUE_FIELDS, vn_day_month
from kyso.files.storage import read

from .conftest import issued_by_hanoi

pytestmark = pytest.mark.django_db


def _fields(pdf: bytes) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    form = PdfFileReader(io.BytesIO(pdf)).root["/AcroForm"]
    return {str(f.get_object()["/T"]): str(f.get_object().get("/V", "")) for f in form["/Fields"]
            if f.get_object().get("/FT") == "/Tx"}


def test_the_clerk_fills_number_and_date_into_the_signed_document(demo, hn_leader, as_user, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature

    from kyso.signing.trust import default_trust

    doc = issued_by_hanoi(demo, hn_leader, as_user)
    assert _fields(read(doc.draft)) == {name: "" for name in ISSUE_FIELDS}
    issued = read(doc.issued_file)
    dd, mm = vn_day_month(doc.issued_on)
    assert _fields(issued) == dict(zip(ISSUE_FIELDS, [str(doc.number), dd, mm, str(doc.issued_on.year)]))
    sigs = PdfFileReader(io.BytesIO(issued)).embedded_signatures
    assert len(sigs) == 2
    vc = default_trust().validation_context()
    leader = validate_pdf_signature(sigs[0], vc)
    assert leader.intact and leader.valid and leader.modification_level == ModificationLevel.FORM_FILLING
    seal = validate_pdf_signature(sigs[1], vc)
    assert seal.intact and seal.valid and seal.coverage.name == "ENTIRE_FILE"
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        # poppler draws the filled fields: the page shows the number and the date where the draft had blanks.
        (tmp_path / "issued.pdf").write_bytes(issued)
        subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(tmp_path / "issued.pdf"),
                        str(tmp_path / "p")], check=True, capture_output=True)
        assert list(tmp_path.glob("p*.png"))
    if shutil.which("pdfsig"):
        out = subprocess.run(["pdfsig", str(tmp_path / "issued.pdf")], capture_output=True, text=True).stdout
        assert out.count("Signature Validation: Signature is Valid.") == 2, out


def test_a_value_that_is_not_plain_ascii_is_refused():
    from kyso.core.errors import InvalidInput
    from kyso.eoffice.drafting import render_draft
    from kyso.signing.fields import fill_text_fields

    pdf = render_draft(organization="BHXH", symbol_suffix="BHXH-VP", place="Hà Nội", subject="V/v", body="Nội dung")
    with pytest.raises(InvalidInput):
        fill_text_fields(pdf, {ISSUE_FIELDS[0]: "Số (một)\n"})
    assert fill_text_fields(b"%PDF-1.7\n" + pdf[9:], {}) is not None
    assert _fields(fill_text_fields(pdf, {ISSUE_FIELDS[0]: "7"}))[ISSUE_FIELDS[0]] == "7"


def test_an_uploaded_pdf_without_fields_is_left_as_it_is():
    from kyso.signing.fields import fill_text_fields

    from kyso.core.documents import render_pdf
    from kyso.core.documents.model import OfficialDocument

    pdf = render_pdf(OfficialDocument(title="THÔNG BÁO", issuer="BHXH", number="Số: 5/TB", place="Hà Nội"))
    assert fill_text_fields(pdf, {ISSUE_FIELDS[0]: "9"}) == pdf
