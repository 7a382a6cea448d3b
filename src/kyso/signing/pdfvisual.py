"""Does an annotation drawn after signing cover what the signer saw? The signed revision is rendered (poppler's
`pdftoppm`, at 36 dpi, only where the annotation can appear on screen) and any ink there means that something
drawn after signing covers signed content. What the signer saw is the page with the appearances of the
annotations already there (a form field's value, a comment, an empty signature field's box): all are rendered,
except those the caller names in `hide` — the annotation whose new appearance is judged, and, for a later
signature's stamp, only the stamps of signatures really signed before (Decree 30 puts the seal over the
leader's signature on purpose; `pdfstamps` says which).

Where the annotation appears is its /Rect turned with the page's /Rotate, except (ISO 32000-2, 12.5.3):
- NoRotate: the appearance is not turned; the upper-left corner of /Rect stays where the page puts it and the
  box keeps its own width and height, upright on screen. Readers that ignore the flag turn it with the page,
  so both places are judged;
- NoZoom: the appearance keeps its size whatever the magnification, from the same upper-left corner: zoomed
  out, it covers more of the page than its /Rect — judged down to a reading view of 25 % (`NOZOOM_SCALE`
  times its width and height), not to the page's edges: a sticky note (Acrobat's are NoZoom) in a margin
  must not make a certified document doubtful, a note standing next to signed words does."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

log = logging.getLogger(__name__)
DPI = 36
INK = 235           # a grey level below this is ink, not paper
TIMEOUT = 20
FLAG_NOZOOM, FLAG_NOROTATE = 1 << 3, 1 << 4
NOZOOM_SCALE = 4                  # a NoZoom annotation judged as seen at a 25 % view


def covers_content(signed_pdf: bytes, page_index: int, rect, box, *, rotate: int = 0, flags: int = 0,
                   hide: Iterable[tuple[int, int]] = ()) -> bool | None:
    """True when an annotation at `rect` (PDF user space) with annotation flags `flags` can be drawn over ink
    of page `page_index` (0-based, crop box `box`, turned by `rotate` degrees) of `signed_pdf`; False when it
    lies on empty paper or outside the page; None when it cannot be told. The annotations of the signed
    revision count as ink, except those at the references (object number, generation) in `hide`."""
    if rect is None or box is None or shutil.which("pdftoppm") is None:
        return None
    boxes = screen_boxes(rect, box, rotate, flags)
    if not boxes:
        return False
    hide = list(dict.fromkeys(hide))
    if hide:
        signed_pdf = _without_annotations(signed_pdf, hide)
        if signed_pdf is None:
            return None
    regions = [_pixels(b) for b in boxes]
    px, py = min(r[0] for r in regions), min(r[1] for r in regions)
    width, height = max(r[2] for r in regions) - px, max(r[3] for r in regions) - py
    with tempfile.TemporaryDirectory(prefix="kyso-vis-") as tmp:
        path = os.path.join(tmp, "signed.pdf")
        with open(path, "wb") as fh:
            fh.write(signed_pdf)
        try:
            result = subprocess.run(
                ["pdftoppm", "-q", "-f", str(page_index + 1), "-l", str(page_index + 1), "-r", str(DPI), "-gray",
                 "-x", str(px), "-y", str(py), "-W", str(width), "-H", str(height),
                 "-singlefile", path], capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.debug("pdftoppm failed: %s", exc)
            return None
    image = _pgm(result.stdout)
    if image is None:
        log.debug("pdftoppm gave no image (rc %s)", result.returncode)
        return None
    width, height, pixels = image          # the page's edge may cut the region rendered by a pixel
    for x1, y1, x2, y2 in regions:
        x1, y1, x2, y2 = x1 - px, y1 - py, min(x2 - px, width), min(y2 - py, height)
        if any(p < INK for y in range(y1, y2) for p in pixels[y * width + x1:y * width + x2]):
            return True
    return False


def _pixels(screen_box) -> tuple[int, int, int, int]:
    """The pixels (left, top, right, bottom; right and bottom excluded) rendered for a box on screen: from the
    pixel holding its top-left corner, as many as its size needs — not the pixel its far edge only touches, where
    the signed content right beside it (a form field's printed suffix) would count as covered."""
    scale = DPI / 72
    left, top, right, bottom = screen_box
    x, y = int(left * scale), int(top * scale)
    return x, y, x + max(int((right - left) * scale + 0.999), 1), y + max(int((bottom - top) * scale + 0.999), 1)


def screen_boxes(rect, box, rotate: int, flags: int = 0) -> list[tuple[float, float, float, float]]:
    """Where an annotation can appear, as boxes in points from the top-left corner of the page as a reader
    shows it, clipped to the page (none: it is off the page). Several when readers may differ (NoRotate)."""
    llx, lly, urx, ury = box
    x1, y1, x2, y2 = rect
    rotate %= 360
    screen_w, screen_h = (ury - lly, urx - llx) if rotate in (90, 270) else (urx - llx, ury - lly)
    grow = NOZOOM_SCALE if flags & FLAG_NOZOOM else 1        # grows right and down from its upper-left corner
    turned = (x1, y2 - grow * (y2 - y1), x1 + grow * (x2 - x1), y2)
    found = []
    cx1, cy1 = max(turned[0], llx), max(turned[1], lly)
    cx2, cy2 = min(turned[2], urx), min(turned[3], ury)
    if cx2 > cx1 and cy2 > cy1:
        found.append(_on_screen((cx1, cy1, cx2, cy2), box, rotate))
    if flags & FLAG_NOROTATE and rotate:
        left, top = _point_on_screen(x1, y2, box, rotate)
        right, bottom = left + grow * (x2 - x1), top + grow * (y2 - y1)
        upright = (max(left, 0.0), max(top, 0.0), min(right, screen_w), min(bottom, screen_h))
        if upright[2] > upright[0] and upright[3] > upright[1]:
            found.append(upright)
    return found


def _point_on_screen(x: float, y: float, box, rotate: int) -> tuple[float, float]:
    """A point of user space in points from the top-left corner of the page as a reader shows it (/Rotate
    turns the page clockwise by a multiple of 90 degrees)."""
    llx, lly, urx, ury = box
    w, h = urx - llx, ury - lly
    u, v = x - llx, ury - y                      # from the top-left corner of the unturned page
    return {90: (h - v, u), 180: (w - u, h - v), 270: (v, w - u)}.get(rotate % 360, (u, v))


def _on_screen(rect, box, rotate: int) -> tuple[float, float, float, float]:
    """`rect` (inside `box`) as a box on screen: turned with the page."""
    (a, b), (c, d) = (_point_on_screen(x, y, box, rotate) for x, y in ((rect[0], rect[1]), (rect[2], rect[3])))
    return min(a, c), min(b, d), max(a, c), max(b, d)


def _without_annotations(pdf: bytes, refs: list[tuple[int, int]]) -> bytes | None:
    """The same revision with the annotations at `refs` flagged hidden (one update appended in memory, nothing
    else changes), so that what is judged is what lies under them. Flagging keeps every other annotation
    drawn exactly as the signer saw it, which rendering the page without annotations (`-hide-annotations`)
    would not. A reference the revision does not have needs nothing hidden (added after signing)."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        changed = False
        for ref in refs:
            reference = generic.Reference(*ref, pdf=writer)
            try:
                annot = writer.get_object(reference)
            except Exception:  # noqa: BLE001 - not in this revision: added after it
                continue
            if not isinstance(annot, generic.DictionaryObject):
                continue
            try:
                flags = int(annot.get("/F", 0))
            except (TypeError, ValueError):
                flags = 0
            annot[generic.NameObject("/F")] = generic.NumberObject(flags | 2)
            writer.mark_update(reference)
            changed = True
        if not changed:
            return pdf
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except Exception as exc:  # noqa: BLE001 - a revision that cannot be rewritten cannot be judged
        log.debug("could not hide annotations %s: %s", refs, exc)
        return None


def _pgm(data: bytes) -> tuple[int, int, bytes] | None:
    """(width, height, grey levels) of a binary PGM image."""
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
    return (width, height, pixels) if len(pixels) == width * height else None
