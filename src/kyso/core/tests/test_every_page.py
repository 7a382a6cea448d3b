"""Every page of the demo, rendered as every role, shows no untranslated message, internal code or ISO date
(issue 17, point 2). The crawler follows the links each person sees, from the home page and the task page."""

import collections
import re
from urllib.parse import urljoin, urlparse

import pytest

from kyso.core import pagecheck

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

USERS = ["admin", "cntt", "lanhdao", "hanoi", "badinh", "hcm", "vanthu.hn", "vanthu.bd", "thuebao", "giamdoc.hn",
         "motcua.hn", "motcua.bd", "kiemtoan"]
SKIP = re.compile(r"^/(?:api/|admin/|static/|accounts/logout|i18n/|csc/)|\.(?:pdf|xlsx|docx|xml|p7s|zip|crt|crl|png)(?:\?|$)|"
                  r"/(?:download|file|export|pdf|xlsx|docx|form\d\d)(?:/|\?|$)")
MAX_PAGES = 400
PER_SHAPE = 3          # pages of one shape (/portal/d/<code>/) visited per person: enough to see the template
_LINK = re.compile(r'href="([^"#]+)"')
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{20,}|\d[\d.\-]*|G\d+")


def _shape(url: str) -> str:
    return _ID.sub("N", url.split("?")[0]) + ("?" + "&".join(sorted(k.split("=")[0] for k in url.split("?")[1].split("&")))
                                            if "?" in url else "")


def crawl(client, start=("/", "/tasks/")):
    seen, queue, pages, shapes = set(), collections.deque(start), {}, collections.Counter()
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or shapes[_shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[_shape(url)] += 1
        resp = client.get(url)
        if resp.status_code != 200 or "text/html" not in resp.get("Content-Type", ""):
            continue
        html = resp.content.decode()
        pages[url] = html
        for href in _LINK.findall(html):
            target = urljoin(url, href.replace("&amp;", "&"))
            parsed = urlparse(target)
            if parsed.netloc and parsed.netloc != "testserver":
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if not SKIP.search(path) and path not in seen:
                queue.append(path)
    return pages


@pytest.fixture
def full_demo(db):
    from kyso.core.demo import load_demo

    load_demo()


def test_pages_speak_vietnamese(full_demo, client):
    from kyso.accounts.models import User

    found = collections.defaultdict(set)
    crawled = 0
    logins = frozenset(User.objects.values_list("username", flat=True))
    for username in [None] + USERS:
        if username:
            client.force_login(User.objects.get(username=username))
        pages = crawl(client, start=("/", "/tasks/") if username else ("/", "/portal/procedures/", "/portal/status/",
                                                                         "/signing/verify/", "/accounts/login/"))
        crawled += len(pages)
        for url, html in pages.items():
            for problem in pagecheck.problems(html, allowed_words=logins):
                found[str(problem)].add(f"{username or 'anonymous'} {url}")
        client.logout()
    assert crawled > 200
    report = "\n".join(f"{p}  ← {sorted(urls)[:3]} ({len(urls)} pages)" for p, urls in sorted(found.items()))
    assert not found, f"{len(found)} problems on {crawled} pages:\n{report}"
