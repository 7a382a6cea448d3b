"""Does a rectangle of a page hold signed content? The signed revision is rendered (poppler's `pdftoppm`, at
36 dpi, only that rectangle, turned as the page's /Rotate turns it) and any ink in it means that something drawn
there after signing covers what the signer saw. What the signer saw includes the appearances of the
annotations already there (an earlier signature's stamp, a comment): they are rendered, except the annotation
whose new appearance is being judged. A later signature's own stamp is judged against the page content alone:
Decree 30 puts the seal over the leader's signature on purpose."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

log = logging.getLogger(__name__)
DPI = 36
INK = 235           # a grey level below this is ink, not paper
TIMEOUT = 20


def covers_content(signed_pdf: bytes, page_index: int, rect, box, *, rotate: int = 0,
                   annotations: bool = False, except_ref: tuple[int, int] | None = None) -> bool | None:
    """True when `rect` (PDF user space) overlaps ink of page `page_index` (0-based, crop box `box`, turned by
    `rotate` degrees) in `signed_pdf`; False when it lies on empty paper or outside the page; None when it
    cannot be told. With `annotations`, the appearances of the annotations of the signed revision count as
    ink too, except the one at `except_ref` (object number, generation)."""
    if rect is None or box is None or shutil.which("pdftoppm") is None:
        return None
    llx, lly, urx, ury = box
    x1, y1 = max(rect[0], llx), max(rect[1], lly)
    x2, y2 = min(rect[2], urx), min(rect[3], ury)
    if x2 <= x1 or y2 <= y1:
        return False
    scale = DPI / 72
    left, top, right, bottom = _on_screen((x1, y1, x2, y2), box, rotate)
    px, py = int(left * scale), int(top * scale)
    width, height = max(int((right - left) * scale + 0.999), 1), max(int((bottom - top) * scale + 0.999), 1)
    if annotations and except_ref is not None:
        signed_pdf = _without_annotation(signed_pdf, except_ref)
        if signed_pdf is None:
            return None
    with tempfile.TemporaryDirectory(prefix="kyso-vis-") as tmp:
        path = os.path.join(tmp, "signed.pdf")
        with open(path, "wb") as fh:
            fh.write(signed_pdf)
        try:
            result = subprocess.run(
                ["pdftoppm", "-q", "-f", str(page_index + 1), "-l", str(page_index + 1), "-r", str(DPI), "-gray",
                 *([] if annotations else ["-hide-annotations"]),
                 "-x", str(px), "-y", str(py), "-W", str(width), "-H", str(height),
                 "-singlefile", path], capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.debug("pdftoppm failed: %s", exc)
            return None
    pixels = _pgm_pixels(result.stdout)
    if pixels is None:
        log.debug("pdftoppm gave no image (rc %s)", result.returncode)
        return None
    return any(p < INK for p in pixels)


def _on_screen(rect, box, rotate: int) -> tuple[float, float, float, float]:
    """`rect` in points from the top-left corner of the page as a reader shows it (/Rotate turns the page
    clockwise by a multiple of 90 degrees)."""
    llx, lly, urx, ury = box
    w, h = urx - llx, ury - lly
    points = []
    for x, y in ((rect[0], rect[1]), (rect[2], rect[3])):
        u, v = x - llx, ury - y                      # from the top-left corner of the unturned page
        points.append({90: (h - v, u), 180: (w - u, h - v), 270: (v, w - u)}.get(rotate % 360, (u, v)))
    (a, b), (c, d) = points
    return min(a, c), min(b, d), max(a, c), max(b, d)


def _without_annotation(pdf: bytes, ref: tuple[int, int]) -> bytes | None:
    """The same revision with one annotation flagged hidden (an update appended in memory, nothing else
    changes), so that what is judged is what lies under it. An annotation the revision does not have needs
    nothing hidden."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        reference = generic.Reference(*ref, pdf=writer)
        try:
            annot = writer.get_object(reference)
        except Exception:  # noqa: BLE001 - not in this revision: added after signing
            return pdf
        if not isinstance(annot, generic.DictionaryObject):
            return pdf
        try:
            flags = int(annot.get("/F", 0))
        except (TypeError, ValueError):
            flags = 0
        annot[generic.NameObject("/F")] = generic.NumberObject(flags | 2)
        writer.mark_update(reference)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except Exception as exc:  # noqa: BLE001 - a revision that cannot be rewritten cannot be judged
        log.debug("could not hide annotation %s: %s", ref, exc)
        return None


def _pgm_pixels(data: bytes) -> bytes | None:
    if not data.startswith(b"P5"):
        return None
    fields, pos = [], 2
    while len(fields) < 3 and pos < len(data):
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while pos < len(data) and not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    try:
        width, height, _maxval = (int(f) for f in fields)
    except ValueError:
        return None
    pixels = data[pos + 1:pos + 1 + width * height]
    return pixels if len(pixels) == width * height else None
