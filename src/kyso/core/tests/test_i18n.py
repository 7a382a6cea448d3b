"""Every message has its Vietnamese translation, and the committed .mo matches the .po."""

import gettext
from pathlib import Path

import polib
import pytest

import kyso

CATALOGUES = sorted(Path(kyso.__file__).parent.glob("**/locale/vi/LC_MESSAGES/django.po"))


def test_catalogues_exist():
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "run tools/i18n.py --compile"
    with open(mo_path, "rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0], entry.msgid
        else:
            got = mo.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo.gettext(entry.msgid)
            assert got == entry.msgstr, f".mo is stale for {entry.msgid!r}: run tools/i18n.py --compile"
