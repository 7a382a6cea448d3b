"""Issue 18, item 6 (one pagination): the list endpoints written as plain views cut their lists without saying so —
an e-office book at its newest 500 documents, the SIM lines at 1,000, the mobile requests at 200. Every list of
the API now answers pages in one envelope ({"next", "previous", "results"}) that reach every row, once."""

from urllib.parse import urlsplit

import pytest

from kyso.accounts.models import ApiToken

LISTS = ["/api/v1/tokens/", "/api/v1/tokens/managed/", "/api/v1/eoffice/outgoing/", "/api/v1/eoffice/incoming/",
         "/api/v1/mobile/credentials/", "/api/v1/mobile/requests/", "/api/v1/sims/subscriptions/"]


def _all(client, url):
    rows, pages = [], 0
    while url:
        body = client.get(url).json()
        assert set(body) == {"next", "previous", "results"}, body
        rows += body["results"]
        pages += 1
        url = body["next"] and "{0.path}?{0.query}".format(urlsplit(body["next"]))
    return rows, pages


def test_a_long_list_is_read_to_its_end_page_by_page(api, demo):
    owner = demo.user("badinh")
    for n in range(120):
        ApiToken.issue(owner, f"máy {n}")
    client = api("badinh")
    rows, pages = _all(client, "/api/v1/tokens/?page_size=50")
    keys = [r["key_id"] for r in rows]
    assert len(keys) == len(set(keys)) == owner.api_tokens.count() == 121 and pages == 3
    rows, pages = _all(client, "/api/v1/tokens/?page_size=100000")       # a page has a ceiling
    assert len(rows) == 121 and pages == 1 + 121 // 500


@pytest.mark.parametrize("url", LISTS)
def test_every_list_answers_the_same_envelope(api, url):
    body = api("admin").get(url).json()
    assert set(body) == {"next", "previous", "results"}, (url, body)
