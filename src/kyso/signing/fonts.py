"""The stamp font: Liberation Serif (metric-compatible with Times New Roman, Vietnamese glyphs),
rescaled once to 1000 units per em — pyHanko draws 2048-unit fonts twice too wide (TECH-NOTES)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

SOURCE = Path(__file__).resolve().parent.parent / "core" / "fonts" / "LiberationSerif-Regular.ttf"


def stamp_font() -> str:
    target = Path(settings.DATA_DIR) / "fonts" / "LiberationSerif-Regular-1000upem.ttf"
    if not target.exists():
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(str(SOURCE))
        scale_upem(font, 1000)
        tmp = target.with_suffix(".tmp")
        font.save(str(tmp))
        tmp.replace(target)
    return str(target)
