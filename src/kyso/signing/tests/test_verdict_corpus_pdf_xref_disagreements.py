"""Revisions added after a signature that pyHanko and poppler/MuPDF read differently.

What was wrong (red team, PDF round 2): each of these forgeries was TOTAL_PASSED while poppler (pdftotext,
pdftoppm, pdfsig) — and MuPDF for the first — showed "TRA 900 000 DONG" instead of the signed "TRA 100 000
DONG":
- an update whose cross-reference table lists the page content twice: first a forged object written inside
  an orphan stream's data, then an identical copy of the signed one. pyHanko keeps the last entry, poppler and
  MuPDF the first; the appended-bytes check accepted the forged header as "inside a known stream". Under a
  DocMDP P=1 certification the report even called the change "validation data and time-stamps";
- an entry of unknown type `x`, or a startxref 3 bytes before `xref`: pyHanko skips or corrects them, poppler
  rebuilds the table by scanning the file, and the last `4 0 obj` (hidden in an orphan stream) wins;
- a linearization dictionary (/L 20000) whose first-page section names a decoy catalogue: after signing, an
  orphan update padded the file to 20000 bytes and poppler started at the first-page section;
- an orphan stream of `1 0 obj` headers: the appended-bytes check searched from the stream's start once per
  header — 2 MB took 188 s.

Now (`pdfxref`): every revision after a signed one is read strictly, a header in the appended bytes that a
rebuilding reader would take for an object pyHanko reads elsewhere is refused, a linearization dictionary
made true after signing is refused — INDETERMINATE / SIG_CONSTRAINTS_FAILURE with a reason in Vietnamese —
and the appended bytes are scanned once."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pyhanko.sign.fields import MDPPerm

from . import corpus_pdf as P
from . import corpus_pdf_xref as XR
from .test_verdict_corpus import INDET, PASSED, SIG_CONSTRAINTS, assert_built_case

REASON = "Phần tệp sau bản được ký"        # the start of the Vietnamese reason


def _signed(k, **kw):
    return k.pdf.sign(P.base_pdf(), **kw)


CASES = [
    ("xref-duplicate-forged-first", lambda k: XR.duplicate_entry(_signed(k)), INDET, SIG_CONSTRAINTS,
     "object listed twice: poppler/MuPDF take the first (forged), pyHanko the last (identical copy)"),
    ("xref-duplicate-forged-first-p1", lambda k: XR.duplicate_entry(_signed(k, certify=MDPPerm.NO_CHANGES)),
     INDET, SIG_CONSTRAINTS, "the same under a DocMDP P=1 certification"),
    ("xref-duplicate-forged-last", lambda k: XR.duplicate_entry_reversed(_signed(k)), INDET, SIG_CONSTRAINTS,
     "object listed twice, the other order"),
    ("xref-unknown-entry-type", lambda k: XR.unknown_entry_type(_signed(k)), INDET, SIG_CONSTRAINTS,
     "an entry of type x: poppler rebuilds the table and finds the hidden forgery"),
    ("xref-startxref-off", lambda k: XR.startxref_off(_signed(k)), INDET, SIG_CONSTRAINTS,
     "startxref 3 bytes before 'xref': poppler rebuilds"),
    ("xref-entry-off-target", lambda k: XR.entry_off_target(_signed(k)), INDET, SIG_CONSTRAINTS,
     "an in-use entry that does not point at its 'N G obj'"),
    ("xref-hidden-header", lambda k: XR.hidden_header(_signed(k)), INDET, SIG_CONSTRAINTS,
     "a forged header in an orphan stream that a rebuilding reader would take for the page content"),
    ("xref-hidden-header-superseded", lambda k: XR.hidden_header_superseded(_signed(k)), PASSED, None,
     "a hidden header that a later, listed, identical object supersedes: no reader shows anything else"),
    ("xref-hybrid-disagreement", lambda k: XR.hybrid_disagreement(_signed(k)), INDET, SIG_CONSTRAINTS,
     "the table and its /XRefStm list the content stream at different places"),
    ("xref-linearized-decoy", lambda k: XR.pad_to(XR.sign_lenient(k.pdf.pyhanko, XR.linearized_author_pdf())),
     INDET, SIG_CONSTRAINTS, "padding makes /L true: poppler starts at the first-page section (decoy)"),
    ("xref-compressed-orphan", lambda k: XR.compressed_attachment_like(_signed(k)), PASSED, None,
     "a compressed orphan stream after signing: nothing hidden"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_xref_disagreement(kit, case, tmp_path, capsys):
    cli = assert_built_case(case, kit, "pdf", tmp_path, capsys)
    if case[2] != PASSED:
        reasons = [c["message"] for s in cli["signatures"] for c in s["checks"] if not c["ok"]]
        assert any(REASON in m for m in reasons), reasons


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
@pytest.mark.parametrize("build", [XR.duplicate_entry, XR.unknown_entry_type, XR.startxref_off],
                         ids=["duplicate", "unknown-type", "startxref-off"])
def test_poppler_shows_the_forgery(kit, build, tmp_path):
    """Why these files must not pass: poppler itself shows the forged words (the cases above are real)."""
    path = tmp_path / "x.pdf"
    path.write_bytes(build(_signed(kit)))
    shown = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, timeout=60).stdout
    assert b"TRA 900 000 DONG" in shown, shown


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_poppler_shows_the_linearized_decoy(kit, tmp_path):
    signed = XR.sign_lenient(kit.pdf.pyhanko, XR.linearized_author_pdf())
    before, after = tmp_path / "signed.pdf", tmp_path / "padded.pdf"
    before.write_bytes(signed)
    after.write_bytes(XR.pad_to(signed))
    text = lambda p: subprocess.run(["pdftotext", str(p), "-"], capture_output=True, timeout=60).stdout  # noqa: E731
    assert b"TRA 100 000 DONG" in text(before)
    assert b"TRA 900 000 DONG" in text(after)


def test_hostile_appended_stream_gets_its_verdict(kit, tmp_path, capsys):
    """2 MB of `1 0 obj` in an orphan stream after the signature: a verdict, without a quadratic search."""
    case = ("xref-hostile-2mb", lambda k: XR.hostile_stream(_signed(k), 2), INDET, SIG_CONSTRAINTS,
            "every '1 0 obj' in it is an object 1 a rebuilding reader would take")
    assert_built_case(case, kit, "pdf", tmp_path, capsys)
