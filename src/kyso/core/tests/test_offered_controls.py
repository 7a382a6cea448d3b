"""Every link and every control a page offers works for the person it is offered to (issue 17, point 7): crawled
as each demo role, no offered link answers 403 or 404, and no offered form (device forms, renewal and revocation of
certificates, request edits, bulk revocation, certificate import…) is refused for lack of permission when sent as
it is shown. Each form is sent inside a transaction that is rolled back, so the crawl changes nothing."""

import collections
import html as htmllib
import re
from urllib.parse import urljoin, urlparse

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.utils import translation

from kyso.core.errors import Forbidden
from kyso.core.tests.test_every_page import USERS, crawl

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
_FORM = re.compile(r"<form([^>]*)>(.*?)</form>", re.S)
_CONTROL = re.compile(r"<(input|select|textarea|button)([^>]*)>(.*?)(?=<(?:input|select|textarea|button|/form)|$)", re.S)
_LINK = re.compile(r'href="([^"#]+)"')
# Sending these for real would reach outside the database (a CA issuing onto new SoftHSM tokens).
NOT_SENT = {"send_to_ca"}


def _attrs(text: str) -> dict:
    return {k: htmllib.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', text)}


def _as_shown(body: str) -> dict:
    """The values a person sends when he presses the form's first button without changing anything."""
    data = {}
    for tag, raw, rest in _CONTROL.findall(body):
        a = _attrs(raw)
        name = a.get("name")
        if not name or a.get("type") == "file":
            continue
        if tag == "select":
            options = re.findall(r'<option([^>]*)value="([^"]*)"', rest)
            chosen = [v for attrs, v in options if "selected" in attrs] or [v for _a, v in options if v]
            data[name] = chosen[0] if chosen else ""
        elif tag == "button":
            data.setdefault(name, a.get("value", ""))
        elif a.get("type") in ("checkbox", "radio"):
            if "checked" in raw and name not in data:
                data[name] = a.get("value", "on")
        else:
            data.setdefault(name, a.get("value") or "1")
    return data


def _refusals() -> set[str]:
    """What a page says when a step is refused for lack of permission (the Forbidden messages, in Vietnamese)."""
    with translation.override("vi"):
        return {str(Forbidden.default_message), "Bạn không có quyền"}


def test_every_offered_link_and_control_is_allowed(demo, client):
    from kyso.accounts.models import User

    refused = collections.defaultdict(set)
    sent = 0
    refusals = _refusals()
    for username in USERS:
        client.force_login(User.objects.get(username=username))
        tried = set()
        for url, html in crawl(client).items():
            for href in set(_LINK.findall(html)):
                target = urlparse(urljoin(url, htmllib.unescape(href)))
                elsewhere = target.scheme not in ("", "http", "https") or target.netloc not in ("", "testserver")
                if elsewhere or target.path.startswith(("/static/", "/accounts/logout", "/admin/", "/i18n/")):
                    continue
                path = target.path + (f"?{target.query}" if target.query else "")
                if path not in tried:
                    tried.add(path)
                    status = client.get(path).status_code
                    if status in (403, 404):          # a link offered must open: neither refused nor hidden
                        refused[f"link {path} ({status})"].add(username)
            for raw, body in _FORM.findall(html):
                a = _attrs(raw)
                if a.get("method", "get").lower() != "post":
                    continue
                action = urlparse(urljoin(url, a.get("action") or url)).path
                data = _as_shown(body)
                key = (re.sub(r"\d+", "N", action), data.get("op", ""), tuple(sorted(data)))
                if key in tried or data.get("op") in NOT_SENT:
                    continue
                tried.add(key)
                sent += 1
                with transaction.atomic():
                    resp = client.post(action, data)
                    said = [str(m) for m in get_messages(resp.wsgi_request)]
                    transaction.set_rollback(True)
                if resp.status_code == 403 or any(r in m for m in said for r in refusals):
                    refused[f"form {action} {data.get('op', '')}: {said[:1]}"].add(username)
        client.logout()
    assert sent > 50
    report = "\n".join(f"{what} ← {sorted(who)}" for what, who in sorted(refused.items()))
    assert not refused, f"offered but refused:\n{report}"
