"""What the command line lists for the operator reads as a page does: dates dd/mm/yyyy in local time, states, kinds
and steps in Vietnamese words, no ISO date, no stored code (`enabled`, `pending`, `lifecycle.request.submit`)."""

import html
import re

from django.core.management import call_command

from kyso.core.pagecheck import problems


def _listed(capsys, *args) -> str:
    call_command(*args)
    return capsys.readouterr().out


def test_listings_speak_vietnamese(demo, pki, capsys):
    call_command("mobile", "enrol", "--holder", "lanhdao", "--channel", "sim", "--msisdn", "0981234567", "--pin", "654321")
    capsys.readouterr()
    out = {
        "mobile credentials": _listed(capsys, "mobile", "credentials"),
        "ca list": _listed(capsys, "ca", "list", "-n", "5"),
        "audit tail": _listed(capsys, "audit", "tail", "-n", "15"),
        "workdays add": _listed(capsys, "workdays", "add", "24/01/2025", "3"),
    }
    assert out["workdays add"].strip() == "05/02/2025"
    assert all(text.strip() for text in out.values()), out
    assert "đang dùng" in out["mobile credentials"] and "SIM" in out["mobile credentials"]
    for name, text in out.items():
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), (name, text)
        assert re.search(r"\b\d{2}/\d{2}/\d{4}\b", text), (name, text)
        found = problems(f"<pre>{html.escape(text)}</pre>")
        assert found == [], (name, [str(p) for p in found], text)
