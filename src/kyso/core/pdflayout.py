"""Where the words of a rendered PDF stand (poppler's `pdftotext -bbox`), and a PNG of each page (`pdftoppm`):
what the layout tests of official documents compare with the rules of Decree 30/2020 (issue 17, point 5)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from PIL import Image

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@dataclass
class Box:
    text: str
    x0: float
    y0: float      # from the top of the page, as the eye reads
    x1: float
    y1: float
    page: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Layout:
    width: float
    height: float
    words: list[Box]

    def find(self, phrase: str, page: int | None = None) -> Box:
        """The box of the first occurrence of `phrase` (several words), joined from its words."""
        tokens = phrase.split()
        for i in range(len(self.words) - len(tokens) + 1):
            run = self.words[i:i + len(tokens)]
            if [w.text for w in run] == tokens and (page is None or run[0].page == page):
                return Box(phrase, min(w.x0 for w in run), min(w.y0 for w in run), max(w.x1 for w in run),
                           max(w.y1 for w in run), run[0].page)
        raise AssertionError(f"{phrase!r} not found in {' '.join(w.text for w in self.words)[:400]!r}")

    def count(self, phrase: str) -> int:
        return len(re.findall(re.escape(phrase), self.text()))

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def layout(pdf: bytes) -> Layout:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox", str(src), "-"], capture_output=True, check=True).stdout.decode()
    words, page = [], -1
    for chunk in re.split(r"(?=<page )", html):
        m = _PAGE.search(chunk)
        if not m:
            continue
        page += 1
        width, height = float(m.group(1)), float(m.group(2))
        words += [Box(unescape(t), float(a), float(b), float(c), float(d), page) for a, b, c, d, t in _WORD.findall(chunk)]
    return Layout(width, height, words)


def output_dir(kind: str) -> Path:
    """Where tests keep what they render for people to look at: $KYSO_TEST_OUTPUT (default var/test-output)."""
    base = Path(os.environ.get("KYSO_TEST_OUTPUT") or Path(__file__).resolve().parents[3] / "var" / "test-output")
    path = base / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def to_png(pdf: bytes, name: str, *, resolution: int = 60) -> list[Path]:
    """Render every page to `<output>/documents/<name>-<n>.png`; returns the files."""
    target = output_dir("documents")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(src), str(target / name)], check=True)
    return sorted(target.glob(f"{name}-*.png"))


def rules(pdf: bytes, page: int = 0, *, min_length: float = 20) -> list[Box]:
    """The horizontal lines drawn on a page (the rules under the issuer and the motto, table borders), read from a
    72 dpi rendering so that one pixel is one point, from the top of the page as `layout` measures."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(page + 1), "-l", str(page + 1), "-singlefile",
                        str(src), str(Path(tmp) / "p")], check=True)
        with Image.open(Path(tmp) / "p.pgm") as img:
            width, height, px = img.width, img.height, img.load()
    found = []
    for y in range(height):
        x = 0
        while x < width:
            if px[x, y] < 128:
                start = x
                while x < width and px[x, y] < 128:
                    x += 1
                if x - start >= min_length:
                    found.append(Box("", start, y, x, y + 1, page))
            x += 1
    return found
