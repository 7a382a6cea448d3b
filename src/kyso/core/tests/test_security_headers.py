"""Issue 16 finding 13: outside debug mode Kyso sends Secure cookies, HSTS on HTTPS, a Content-Security-Policy
that allows only its own assets (inline blocks only with the request's nonce), X-Content-Type-Options and
Referrer-Policy — and its pages still carry everything they need under that policy."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from kyso.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2]
INLINE = re.compile(r"<(script|style)\b([^>]*)>", re.I)


def _nonce(response) -> str:
    csp = response["Content-Security-Policy"]
    return re.search(r"'nonce-([^']+)'", csp).group(1)


def _inline_blocks_carry_the_nonce(response):
    html = response.content.decode()
    nonce = _nonce(response)
    for tag, attrs in INLINE.findall(html):
        if tag.lower() == "script" and "src=" in attrs:
            assert re.search(r'src="/', attrs), f"a script from elsewhere: {attrs}"
            continue
        if 'type="application/json"' in attrs:
            continue
        assert f'nonce="{nonce}"' in attrs, f"inline <{tag}{attrs}> without the request's nonce"
    assert not re.search(r"\son[a-z]+=\"", html), "an event-handler attribute (blocked by the policy)"
    for url in re.findall(r'<(?:link|script|img)\b[^>]*(?:href|src)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), f"an asset from elsewhere: {url}"


def test_headers_outside_debug(demo):
    assert not settings.DEBUG
    r = Client().get("/accounts/login/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "http" not in csp
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in r            # never over plain HTTP …
    secure = Client().get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")   # … always over HTTPS
    assert _nonce(r) != _nonce(Client().get("/accounts/login/"))                # a fresh nonce each time


def test_cookies_are_secure(demo):
    c = Client()
    c.get("/accounts/login/")
    r = c.post("/accounts/login/", {"username": "hanoi", "password": DEMO_PASSWORD})
    assert r.status_code == 302
    assert r.cookies["sessionid"]["secure"] and r.cookies["sessionid"]["httponly"]
    assert c.cookies["csrftoken"]["secure"]


@pytest.mark.parametrize("username,path", [
    (None, "/accounts/login/"), ("admin", "/"), ("admin", "/accounts/tokens/"), ("admin", "/lifecycle/bulk/"), ("admin", "/jobs/"),
    ("admin", "/sims/payment/"), ("lanhdao", "/mobile/phone/"), (None, "/api/docs/"),
])
def test_pages_work_under_the_policy(demo, username, path):
    c = Client()
    if username:
        c.force_login(demo.user(username))
    r = c.get(path)
    assert r.status_code == 200, (path, r.status_code)
    _inline_blocks_carry_the_nonce(r)


def test_no_template_has_an_inline_block_without_a_nonce():
    problems = []
    for template in SRC.glob("*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for tag, attrs in INLINE.findall(text):
            if tag.lower() == "script" and "src=" in attrs:
                continue
            if "request.csp_nonce" not in attrs:
                problems.append(f"{template.relative_to(SRC)}: <{tag}{attrs}>")
        problems += [f"{template.relative_to(SRC)}: {m}" for m in re.findall(r"\son[a-z]+=\"[^\"]*\"", text)]
    assert problems == []
