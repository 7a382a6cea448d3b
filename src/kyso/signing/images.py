"""Signature and seal images (transparent PNG) for demo data and tests: a blue handwritten-like
stroke and a red round seal with the organisation's name — real users upload their own scans."""

from __future__ import annotations

import io
import math
import unicodedata

from PIL import Image, ImageDraw, ImageFont

from kyso.files.models import StoredFile
from kyso.files.storage import read, store

from .fonts import SOURCE

BLUE = (20, 40, 160, 255)
RED = (210, 20, 20, 255)


def signature_png(seed: str = "Kyso", width: int = 360, height: int = 150) -> bytes:
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    k = sum(map(ord, seed)) % 7 + 3
    pts = [(20 + i * (width - 40) / 120,
            height / 2 + math.sin(i / k) * height / 4 * math.cos(i / 17) + (i % 9) - 4) for i in range(121)]
    d.line(pts, fill=BLUE, width=5, joint="curve")
    d.line([(40, height * 0.78), (width - 60, height * 0.70)], fill=BLUE, width=3)
    return _png(img)


def seal_png(name: str, diameter_px: int = 420) -> bytes:
    """A round red seal, ~36 mm when placed at 36 mm (the caller places it at the seal's real size): the
    organisation's name in capitals runs round the band between two rings, each letter turned to follow the
    circle and read clockwise, centred on the top; an upright five-pointed star in the middle."""
    img = Image.new("RGBA", (diameter_px, diameter_px), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c, w = diameter_px / 2, max(6, diameter_px // 40)
    d.ellipse([w, w, diameter_px - w, diameter_px - w], outline=RED, width=w)
    inner = diameter_px // 5
    d.ellipse([inner, inner, diameter_px - inner, diameter_px - inner], outline=RED, width=w // 2)
    _ring_text(img, unicodedata.normalize("NFC", name.upper()), centre=c,
               radius=(c - w + c - inner) / 2 - w / 2, band=(c - w) - (c - inner) - w)
    d.polygon(_star(c, c, diameter_px / 9), fill=RED)
    return _png(img)


def _ring_text(img, text: str, *, centre: float, radius: float, band: float) -> None:
    """Letters on a circle of `radius`, upright towards the outside, spread over at most 320 degrees and
    centred on the top; the size shrinks until the name fits."""
    size = int(band * 0.5)
    while True:
        font = ImageFont.truetype(str(SOURCE), size)
        widths = [font.getlength(ch) for ch in text]
        gap = size * 0.08
        span = (sum(widths) + gap * len(text)) / radius          # radians
        if span <= math.radians(320) or size <= 8:
            break
        size -= 1
    angle = -math.pi / 2 - span / 2                              # start left of the top, go clockwise
    for ch, width in zip(text, widths):
        step = (width + gap) / radius
        mid = angle + step / 2
        if ch.strip():
            box = int(size * 2.2)
            glyph = Image.new("RGBA", (box, box), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, fill=RED, font=font, anchor="mm")
            glyph = glyph.rotate(-math.degrees(mid + math.pi / 2), resample=Image.BICUBIC)
            x = centre + radius * math.cos(mid) - box / 2
            y = centre + radius * math.sin(mid) - box / 2
            img.alpha_composite(glyph, (int(round(x)), int(round(y))))
        angle += step


def _star(x: float, y: float, outer: float) -> list[tuple[float, float]]:
    """An upright five-pointed star (ten corners, the inner ones at 0.382 of the outer radius)."""
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else outer * 0.382
        a = -math.pi / 2 + i * math.pi / 5
        points.append((x + r * math.cos(a), y + r * math.sin(a)))
    return points


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


# Stored images: a leader's handwritten signature and a unit's seal, kept in the file archive
# (content-addressed, never deleted) so the appearance of a later signature can use them.
SIGNATURE_PURPOSE = "signing.signature_image"
SEAL_PURPOSE = "signing.seal_image"


def _image_name(kind: str, key: str) -> str:
    return f"{kind}-{key}.png"


def save_signature_image(person, png: bytes):
    return store(png, name=_image_name("chu-ky", str(person.pk)), media_type="image/png", purpose=SIGNATURE_PURPOSE,
                 unit_path=person.unit.path)


def save_seal_image(unit, png: bytes):
    return store(png, name=_image_name("con-dau", unit.code), media_type="image/png", purpose=SEAL_PURPOSE,
                 unit_path=unit.path)


def _latest(purpose: str, name: str) -> bytes | None:
    stored = StoredFile.objects.filter(purpose=purpose, name=name).order_by("-created_at", "-pk").first()
    return read(stored) if stored is not None else None


def signature_image_of(person) -> bytes | None:
    """The person's latest stored signature image, or None."""
    return _latest(SIGNATURE_PURPOSE, _image_name("chu-ky", str(person.pk))) if person is not None else None


def seal_image_of(unit) -> bytes | None:
    """The unit's latest stored seal image, or None."""
    return _latest(SEAL_PURPOSE, _image_name("con-dau", unit.code)) if unit is not None else None
