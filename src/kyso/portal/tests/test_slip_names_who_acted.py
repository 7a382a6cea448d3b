"""The process control slip on the dossier page names who did each step as a person reads it: the employer by
its name ("Công ty TNHH Ánh Dương"), not its portal login (`congty.anhduong`); officers by their full name; the intake rule that accepted it by its name, not its code (`2671-E-DOSSIER`)."""

import io
import re

import pytest
from django.test import Client

from kyso.portal.models import Dossier

from . import helpers as h

pytestmark = pytest.mark.django_db


def _file(name, data):
    f = io.BytesIO(data)
    f.name = name
    return f


def _slip_rows(html: str) -> str:
    body = html.split("<tbody>")[-1]                       # the events table is the page's last table
    return re.sub(r"<[^>]+>", " ", body)


def test_the_slip_names_the_employer_and_the_officer(employer):
    sub, issued, key = employer
    web = Client()
    web.force_login(sub.user)
    web.post("/portal/submit/", {"procedure": "600", "files": [_file("D02-TS.xml", h.signed(h.d02(), issued, key))]})
    d = Dossier.objects.get()
    officer = Client()
    officer.force_login(type(sub.user).objects.get(username="badinh"))
    assert officer.post(f"/portal/d/{d.code}/", {"op": "step", "step": "assign"}).status_code == 302
    rows = _slip_rows(officer.get(f"/portal/d/{d.code}/").content.decode())
    assert "Công ty TNHH Ánh Dương" in rows
    assert "congty.anhduong" not in rows and "badinh" not in rows
    assert "Tiếp nhận hồ sơ điện tử có chữ ký số" in rows and "2671-E-DOSSIER" not in rows   # the rule, in words
    assert d.events.filter(actor="Công ty TNHH Ánh Dương").exists()
