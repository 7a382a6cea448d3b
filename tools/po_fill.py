"""Fill Vietnamese translations into an app's catalogue from a JSON map {msgid: msgstr}; clears 'fuzzy'.

    .venv/bin/python tools/po_fill.py org translations.json
    .venv/bin/python tools/po_fill.py org --missing      # list what is still untranslated
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "kyso"


def main():
    app, arg = sys.argv[1], sys.argv[2]
    path = ROOT / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    if arg == "--missing":
        for e in po:
            if not e.obsolete and ((not e.msgstr and not any(e.msgstr_plural.values())) or "fuzzy" in e.flags):
                print(json.dumps(e.msgid, ensure_ascii=False))
        return
    table = json.loads(Path(arg).read_text())
    for e in po:
        if e.msgid in table:
            e.msgstr = table[e.msgid]
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
            e.previous_msgid = None
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))


if __name__ == "__main__":
    main()
