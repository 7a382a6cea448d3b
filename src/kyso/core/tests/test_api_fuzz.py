"""Issue 16, "make the checks permanent": a property-based fuzzer over the whole OpenAPI schema (schemathesis),
logged in as each demo role, in the normal test suite: no generated request may end in a server error (5xx).
Every kind of caller is fuzzed: the staff of each demo role, the portal's submitter accounts (the employer, the
I-VAN provider and the commune committee of the portal demo, and a citizen), and anonymous requests.

Every operation of the schema Kyso publishes gets a few generated requests per role — path and query parameters,
JSON, form and multipart bodies of the shapes the schema allows (which reach deep into the domain) mixed with
shapes it forbids (schemathesis' negative mode: wrong types, missing fields, out-of-range numbers). Generation is derandomized so that a failure reproduces, and bounded (`EXAMPLES` per
operation and role) so that the whole module takes a minute or two on two cores. A failure names the operation,
the request and the exception.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings as hsettings, strategies as st
from rest_framework.test import APIClient
from schemathesis.generation.modes import GenerationMode

from kyso.accounts.models import ApiToken, User
from kyso.core.context import acting_as
from kyso.org.models import Unit
from kyso.portal.demo import DEMO_SUBMITTERS
from kyso.portal.models import Submitter, SubmitterKind

pytestmark = pytest.mark.django_db

ROLES = ["admin", "cntt", "lanhdao", "hanoi", "badinh", "hcm", "vanthu.hn", "thuebao", "motcua.hn", "kiemtoan"]
# The portal's API users: the submitters its demo creates, and a citizen (a kind the demo has no login for).
CITIZEN = ("congdan.nguyenvana", SubmitterKind.CITIZEN, "HN.BD", "Nguyễn Văn A", "001085012345", "0987654321", False)
SUBMITTERS = [*DEMO_SUBMITTERS, CITIZEN]
ANONYMOUS = "anonymous"
CALLERS = [*ROLES, *(row[0] for row in SUBMITTERS), ANONYMOUS]
EXAMPLES = 3


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(json.dumps(raw, default=str)))


def _strategy(op):
    """Valid and invalid requests of one operation, mixed."""
    try:
        return st.one_of(op.as_strategy(), op.as_strategy(GenerationMode.NEGATIVE))
    except Exception:  # noqa: BLE001 - an operation without a negative form (nothing to break)
        return op.as_strategy()


def _operations():
    return [(result.ok(), _strategy(result.ok())) for result in _schema().get_all_operations()]


def _request_kwargs(case) -> tuple[str, dict]:
    """A generated case as arguments of Django's test client."""
    path = case.formatted_path
    if case.query:
        path += "?" + urlencode(case.query, doseq=True)
    kwargs: dict = {}
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in ("authorization", "content-type",
                                                                                   "content-length", "host")}
    for name, value in headers.items():
        kwargs["HTTP_" + name.upper().replace("-", "_")] = str(value)
    body = case.body
    media = case.media_type or ""
    if body is None or type(body).__name__ == "NotSet":
        return path, kwargs
    if media.startswith("multipart/"):
        data = {}
        for key, value in (body.items() if isinstance(body, dict) else []):
            if isinstance(value, (bytes, bytearray)):
                value = SimpleUploadedFile(f"{key}.bin", bytes(value))
            elif isinstance(value, (dict, list)):
                value = json.dumps(value)
            elif value is None:
                continue
            data[key] = value
        kwargs["data"] = data
        kwargs["format"] = "multipart"
    elif media == "application/x-www-form-urlencoded":
        kwargs["data"] = urlencode(body if isinstance(body, dict) else {}, doseq=True)
        kwargs["content_type"] = media
    else:
        kwargs["data"] = json.dumps(body) if not isinstance(body, (bytes, str)) else body
        kwargs["content_type"] = "application/json"
    return path, kwargs


@pytest.fixture(scope="module")
def operations():
    return _operations()


def _submitter_user(username: str):
    """The portal login `username` (as the portal demo makes it, without its certificates and dossiers)."""
    _name, kind, unit, name, tax, phone, has_sig = next(row for row in SUBMITTERS if row[0] == username)
    with acting_as(label="test-setup", channel="cli"), transaction.atomic():
        user = User.objects.create(username=username, email=f"{username}@example.vn")
        Submitter.objects.create(user=user, kind=kind, name=name, tax_code=tax, unit=Unit.objects.get(code=unit),
                                 email=user.email, phone=phone, has_digital_signature=has_sig)
    return user


@pytest.mark.parametrize("role", CALLERS)
def test_no_server_error_for_any_generated_request(demo, role, operations):
    client = APIClient()
    if role != ANONYMOUS:
        user = demo.user(role) if role in ROLES else _submitter_user(role)
        _token, key = ApiToken.issue(user, "fuzz")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # the caller is who the case says (a login that failed would fuzz only the refusal at the door)
    me = client.get("/api/v1/me/")
    assert me.status_code in (401, 403) if role == ANONYMOUS else me.json()["username"] == role, me.content[:200]
    failures = []
    start = time.monotonic()
    sent = 0

    for _op, strategy in operations:
        @hsettings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
                   phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def fuzz(case):
            nonlocal sent
            path, kwargs = _request_kwargs(case)
            sent += 1
            try:
                resp = getattr(client, case.method.lower())(path, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the server raised: that is the finding
                failures.append(f"{case.method} {path} {kwargs.get('data')!r:.300}: {exc.__class__.__name__}: {exc}")
                return
            if resp.status_code >= 500:
                failures.append(f"{case.method} {path} {kwargs.get('data')!r:.300}: HTTP {resp.status_code}")

        fuzz()
    seconds = time.monotonic() - start
    print(f"fuzz as {role}: {len(operations)} operations, {sent} requests, {seconds:.0f} s, "
          f"{len(failures)} server errors")
    assert failures == [], "\n".join(failures[:40])
