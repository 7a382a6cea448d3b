"""The demo seal looks like a seal (Decree 30, issue 17 point 5): the name runs round the band in one unbroken
ring centred on the top — letters between the two circles, none upright in the middle of the seal — and the
star in the middle stands upright."""

import io
import math

import pytest
from PIL import Image

from kyso.signing.images import seal_png

SIZE = 420


def _ink(name):
    img = Image.open(io.BytesIO(seal_png(name, SIZE))).convert("RGBA")
    return [(x, y) for y in range(SIZE) for x in range(SIZE) if img.getpixel((x, y))[3] > 128]


@pytest.mark.parametrize("name", ["BHXH quận Ba Đình", "Bảo hiểm xã hội thành phố Hồ Chí Minh"])
def test_the_name_runs_round_the_band_centred_on_the_top(name):
    c, inner, outer = SIZE / 2, SIZE / 2 - SIZE // 5, SIZE / 2 - 2 * max(6, SIZE // 40) + 6
    ink = _ink(name)
    band = [(x, y) for x, y in ink if inner + 4 < math.hypot(x - c, y - c) < outer - 8]   # the letters
    middle = [(x, y) for x, y in ink if math.hypot(x - c, y - c) < inner - 10]            # the star only
    assert len(band) > 2000, "the name is written in the band"
    # Centred on the top: as much ink left of the vertical axis as right of it, and more above than below.
    left = sum(1 for x, _y in band if x < c)
    assert abs(left - (len(band) - left)) < 0.12 * len(band)
    assert sum(1 for _x, y in band if y < c) > sum(1 for _x, y in band if y >= c)
    # The middle holds an upright star: ink straight above the centre, symmetric, nothing else.
    assert any(abs(x - c) < 2 and y < c - SIZE / 14 for x, y in middle)
    left = sum(1 for x, _y in middle if x < c)
    assert abs(left - (len(middle) - left)) < 0.05 * len(middle)
    assert all(math.hypot(x - c, y - c) < SIZE / 9 + 3 for x, y in middle)


def test_each_letter_follows_the_circle():
    """A name of nothing but I's: every I stands along the radius (turned to follow the ring), not upright."""
    c, inner, outer = SIZE / 2, SIZE / 2 - SIZE // 5, SIZE / 2 - 2 * max(6, SIZE // 40) + 6
    band = {(x, y) for x, y in _ink("IIIIIIIIIIIIIIII") if inner + 4 < math.hypot(x - c, y - c) < outer - 8}
    letters = []
    while band:
        todo, blob = [band.pop()], []
        while todo:
            x, y = todo.pop()
            blob.append((x, y))
            for n in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if n in band:
                    band.remove(n)
                    todo.append(n)
        if len(blob) > 30:
            letters.append(blob)
    assert len(letters) == 16
    for blob in letters:
        mx, my = sum(p[0] for p in blob) / len(blob), sum(p[1] for p in blob) / len(blob)
        sxx = sum((p[0] - mx) ** 2 for p in blob)
        syy = sum((p[1] - my) ** 2 for p in blob)
        sxy = sum((p[0] - mx) * (p[1] - my) for p in blob)
        axis = 0.5 * math.atan2(2 * sxy, sxx - syy)                 # the stroke's direction
        radial = math.atan2(my - c, mx - c)
        off = abs((axis - radial + math.pi / 2) % math.pi - math.pi / 2)
        assert math.degrees(off) < 15, (mx, my, math.degrees(axis), math.degrees(radial))
