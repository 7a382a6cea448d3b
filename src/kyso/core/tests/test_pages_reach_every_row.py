"""List pages cut their lists without saying so: an officer's requests and the approval lists at 100, the key
devices and the unit's signing credentials at 200, the tokens an administrator manages and the archive's renewals
at 500 — at the agency, with ~30,000 subscribers, the rest could not be reached. They now show pages of 50 with
links that keep the search and the filters (`core.paging.page_of`, `core/_pager.html`)."""

import re

import pytest

from kyso.lifecycle.models import KeyDevice
from kyso.org.models import Unit

pytestmark = pytest.mark.django_db


def _serials(page: str) -> list[str]:
    return re.findall(r'<td class="kv">(TK-\d+)</td>', page)


def test_every_key_device_is_reached_page_by_page_with_the_search_kept(demo):
    unit = Unit.objects.get(code="HN")
    KeyDevice.objects.bulk_create([KeyDevice(serial=f"TK-{n:04d}", unit=unit) for n in range(230)])
    client = demo.client("cntt")
    first = client.get("/lifecycle/devices/", {"q": "TK-"}).content.decode()
    assert len(_serials(first)) == 50 and "trang 1/5 (tổng cộng 230)" in first
    assert 'href="?q=TK-&amp;page=2" rel="next"' in first
    seen = []
    for n in range(1, 6):
        seen += _serials(client.get("/lifecycle/devices/", {"q": "TK-", "page": n}).content.decode())
    assert sorted(seen) == [f"TK-{n:04d}" for n in range(230)]
    last = client.get("/lifecycle/devices/", {"q": "TK-", "page": 99}).content.decode()   # past the end: the last
    assert "trang 5/5" in last and 'rel="next"' not in last and 'rel="prev"' in last


def test_one_page_shows_no_pager(demo):
    page = demo.client("cntt").get("/lifecycle/devices/", {"q": "không có thiết bị này"}).content.decode()
    assert 'class="pager"' not in page
