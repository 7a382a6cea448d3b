"""Every page of the demo, rendered as every role, shows no untranslated message, internal code or ISO date
(issue 17, point 2). The crawler follows the links each person sees, from the home page and the task page.

The demo alone leaves records half-way; after the five journeys have moved records through every state
(`journeys`: activated, revoked, refused, returned, handled, a month closed) every record's page is read as
every person who may open it, and the auditor reads the trail's record of every kind of action."""

import collections
import re
from urllib.parse import urljoin, urlparse

import pytest

from kyso.core import pagecheck

from . import journeys

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

USERS = ["admin", "cntt", "lanhdao", "hanoi", "badinh", "hcm", "vanthu.hn", "vanthu.bd", "thuebao", "giamdoc.hn",
         "motcua.hn", "motcua.bd", "kiemtoan"]
SUBMITTERS = ["congty.anhduong", "ivan.efy", "ubnd.kimma"]     # the portal's employer, I-VAN and commune
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
    for username in [None] + USERS + SUBMITTERS:
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


def _record_pages() -> list[str]:
    """The page of every record the journeys left, whatever its state."""
    from kyso.eoffice.models import IncomingDocument, OutgoingDocument
    from kyso.lifecycle.models import Certificate, IssuanceRequest, Record, RequestList, RevocationRequest
    from kyso.portal.models import Dossier

    urls = [f"/lifecycle/requests/{pk}/" for pk in IssuanceRequest.objects.values_list("pk", flat=True)]
    urls += [f"/lifecycle/lists/{pk}/" for pk in RequestList.objects.values_list("pk", flat=True)]
    urls += [f"/lifecycle/certificates/{pk}/" for pk in Certificate.objects.values_list("pk", flat=True)]
    urls += [f"/lifecycle/revocations/{pk}/" for pk in RevocationRequest.objects.values_list("pk", flat=True)]
    urls += [f"/lifecycle/records/{pk}/" for pk in Record.objects.values_list("pk", flat=True)]
    urls += [f"/portal/d/{code}/" for code in Dossier.objects.values_list("code", flat=True)]
    urls += [f"/eoffice/out/{pk}/" for pk in OutgoingDocument.objects.values_list("pk", flat=True)]
    urls += [f"/eoffice/in/{pk}/" for pk in IncomingDocument.objects.values_list("pk", flat=True)]
    return urls + ["/sims/payment/", "/jobs/"]


@pytest.fixture
def day_done(full_demo):
    journeys.every_journey()


def test_pages_of_records_in_every_state_speak_vietnamese(day_done, client):
    from kyso.accounts.models import User
    from kyso.audit.models import AuditRecord

    found = collections.defaultdict(set)
    logins = frozenset(User.objects.values_list("username", flat=True))
    records, read = _record_pages(), 0
    for username in USERS + SUBMITTERS:
        client.force_login(User.objects.get(username=username))
        for url in records:
            resp = client.get(url)
            if resp.status_code == 200 and "text/html" in resp.get("Content-Type", ""):
                read += 1
                for problem in pagecheck.problems(resp.content.decode(), allowed_words=logins):
                    found[str(problem)].add(f"{username} {url}")
        client.logout()
    client.force_login(User.objects.get(username="kiemtoan"))
    kinds = {}
    for seq, action, object_type in AuditRecord.objects.order_by("seq").values_list("seq", "action", "object_type"):
        kinds.setdefault((action, object_type), seq)
    for (action, object_type), seq in kinds.items():
        resp = client.get(f"/audit/{seq}/")
        assert resp.status_code == 200
        for problem in pagecheck.problems(resp.content.decode(), allowed_words=logins):
            found[str(problem)].add(f"kiemtoan /audit/{seq}/ ({action} · {object_type})")
    assert read > 150, read
    assert len(kinds) > 150, len(kinds)
    report = "\n".join(f"{p}  ← {sorted(urls)[:3]} ({len(urls)} pages)" for p, urls in sorted(found.items()))
    assert not found, f"{len(found)} problems on {read} record pages and {len(kinds)} kinds of audit record:\n{report}"
