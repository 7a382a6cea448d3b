"""Issue 19: the officers' list pages keep a constant cost per page over millions of dossiers — keyset pages
(never an offset, never a count); the overdue list shows the longest overdue first, paged on (due date, id)."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from kyso.portal import views
from kyso.portal.models import Dossier

from . import helpers as h

pytestmark = pytest.mark.django_db


def _codes(html: str) -> list[str]:
    return re.findall(r'href="/portal/d/([^/"]+)/"', html)


def test_overdue_list_is_by_deadline_with_keyset_pages(demo, pki, monkeypatch):
    made = [h.make_dossier(demo.unit("HN.BD")) for _ in range(4)]
    today = timezone.localdate()
    for d, late in zip(made, (3, 9, 6, 0)):
        if late:
            Dossier.objects.filter(pk=d.pk).update(due_date=today - dt.timedelta(days=late))
    monkeypatch.setattr(views, "PAGE", 2)
    web = Client()
    web.force_login(demo.user("badinh"))
    first = web.get("/portal/?overdue=1").content.decode()
    assert _codes(first)[:2] == [made[1].code, made[2].code]
    after = re.search(r"after=([0-9-]+\.[0-9]+)", first).group(1)
    second = web.get(f"/portal/?overdue=1&after={after}").content.decode()
    assert made[0].code in _codes(second) and made[1].code not in _codes(second) and made[3].code not in _codes(second)

    newest = web.get("/portal/").content.decode()      # the plain list: newest first, keyset on id
    assert _codes(newest)[:2] == [made[3].code, made[2].code]
    after = re.search(r"after=([0-9]+)", newest).group(1)
    assert _codes(web.get(f"/portal/?after={after}").content.decode())[:2] == [made[1].code, made[0].code]
