"""Signature and seal images (transparent PNG) for demo data and tests: a blue handwritten-like
stroke and a red round seal with the organisation's name — real users upload their own scans."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

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
    """A round seal, red, ~36 mm when placed at 36 mm (the caller places it at the seal's real size)."""
    img = Image.new("RGBA", (diameter_px, diameter_px), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    w = max(6, diameter_px // 40)
    d.ellipse([w, w, diameter_px - w, diameter_px - w], outline=RED, width=w)
    inner = diameter_px // 5
    d.ellipse([inner, inner, diameter_px - inner, diameter_px - inner], outline=RED, width=w // 2)
    font = ImageFont.truetype(str(SOURCE), diameter_px // 14)
    text = name.upper()
    radius = diameter_px / 2 - diameter_px / 9
    step = 300 / max(len(text), 1)
    for i, ch in enumerate(text):
        angle = math.radians(-240 + i * step)
        x = diameter_px / 2 + radius * math.cos(angle)
        y = diameter_px / 2 + radius * math.sin(angle)
        d.text((x, y), ch, fill=RED, font=font, anchor="mm")
    d.regular_polygon((diameter_px / 2, diameter_px / 2, diameter_px / 10), 5, rotation=-90, fill=RED)
    return _png(img)


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
    from kyso.files.storage import store

    return store(png, name=_image_name("chu-ky", str(person.pk)), media_type="image/png", purpose=SIGNATURE_PURPOSE,
                 unit_path=person.unit.path)


def save_seal_image(unit, png: bytes):
    from kyso.files.storage import store

    return store(png, name=_image_name("con-dau", unit.code), media_type="image/png", purpose=SEAL_PURPOSE,
                 unit_path=unit.path)


def _latest(purpose: str, name: str) -> bytes | None:
    from kyso.files.models import StoredFile
    from kyso.files.storage import read

    stored = StoredFile.objects.filter(purpose=purpose, name=name).order_by("-created_at", "-pk").first()
    return read(stored) if stored is not None else None


def signature_image_of(person) -> bytes | None:
    """The person's latest stored signature image, or None."""
    return _latest(SIGNATURE_PURPOSE, _image_name("chu-ky", str(person.pk))) if person is not None else None


def seal_image_of(unit) -> bytes | None:
    """The unit's latest stored seal image, or None."""
    return _latest(SEAL_PURPOSE, _image_name("con-dau", unit.code)) if unit is not None else None
