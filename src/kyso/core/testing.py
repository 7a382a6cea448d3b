"""Test fixtures shared by every app (loaded as a pytest plugin from the root conftest).

The demo organisation is loaded once per test database; each test runs in a transaction
that is rolled back, so tests see it fresh. Transactional tests (live server) flush the
database: the `demo` fixture reloads it when it is missing.
"""

from __future__ import annotations

import datetime
import io
import threading
from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.db import close_old_connections, connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from kyso import audit
from kyso.accounts.demo import load_users
from kyso.accounts.models import ApiToken, User
from kyso.core.context import acting_as
from kyso.org.demo import load_people, load_units
from kyso.org.models import Person, Unit
from kyso.pki.bootstrap import ensure_ca


def load_demo_org():
    with acting_as(label="test-setup", channel="cli"), transaction.atomic(), audit.action("demo.load"):
        units = load_units()
        people = load_people(units)
        load_users(units, people)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo_org()
        with acting_as(label="test-setup", channel="cli"), transaction.atomic():
            ensure_ca()


@dataclass
class Demo:
    def unit(self, code: str):
        return Unit.objects.select_related("level").get(code=code)

    def user(self, username: str):
        return User.objects.select_related("person__unit").get(username=username)

    def person(self, unit_code: str, title: str):
        return Person.objects.filter(unit__code=unit_code, title=title).first()

    def client(self, username: str) -> Client:
        """A browser session logged in as `username`, in Vietnamese."""
        c = Client(HTTP_ACCEPT_LANGUAGE="vi")
        c.force_login(self.user(username))
        return c


@pytest.fixture
def demo(db):
    if not Unit.objects.filter(code="VSS").exists():
        load_demo_org()
        with acting_as(label="test-setup", channel="cli"), transaction.atomic():
            ensure_ca()
    return Demo()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test starts with no per-address counts (TSA, status look-up): in one process and one minute, the
    tests' requests from 127.0.0.1 would otherwise add up to another test's limit. Only an in-memory cache is
    cleared, never a shared Redis."""
    cache = caches[settings.KYSO_RATE_LIMIT_CACHE]
    if type(cache).__name__ == "LocMemCache":
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings, tmp_path):
    """Each test its own data directory (file archive, checkpoint log, mail, SMS)."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    yield


@pytest.fixture
def as_user():
    """Run code on behalf of a user outside a request (audit attribution)."""
    return lambda user: acting_as(user, channel="cli")


@pytest.fixture
def api(demo):
    """An API client factory: api('hanoi') -> APIClient authenticated with a fresh token."""
    def make(username: str | None = None):
        client = APIClient()
        if username:
            token, key = ApiToken.issue(demo.user(username), "test")
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


_shared_connection = threading.Lock()


class SharedConnectionTurns:
    """Test-only middleware (settings_test): while the database is the in-memory SQLite test database — one
    connection that pytest-django's live server shares with all its request threads — one request at a time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
            return self.get_response(request)
        turn = _shared_connection.acquire(timeout=30)   # a view calling this server itself must not hang the suite
        try:
            return self.get_response(request)
        finally:
            if turn:
                _shared_connection.release()


def named_file(data: bytes, name: str) -> io.BytesIO:
    """Bytes posted as an uploaded file called `name` (the test client guesses its type from the name)."""
    f = io.BytesIO(data)
    f.name = name
    return f


def in_threads(fn, n: int) -> list:
    """Run `fn(i)` for i in 0..n-1 in n threads released together, each on its own database connection; return
    the outcomes in order (what `fn` returned, or the exception it raised). Skips the test where the database
    cannot show concurrency (the in-memory SQLite test database shares one cache): run it on PostgreSQL."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database has one shared cache; run on PostgreSQL for concurrency")
    outcomes: list = [None] * n
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - returned to the test
            outcomes[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture(scope="session")
def openapi():
    """The OpenAPI document as Kyso serves it (built once: its generation takes seconds)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _answer_schema(schema: dict, path: str, method: str, status: int) -> dict:
    return schema["paths"][path][method.lower()]["responses"][str(status)]["content"]["application/json"]["schema"]


def _component(schema: dict, node: dict) -> dict:
    """`node` with its references (`$ref`, or `allOf` of one, as a described nested serializer) followed."""
    while "$ref" in node or len(node.get("allOf", ())) == 1:
        node = node["allOf"][0] if "allOf" in node else node
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else node
    return node


def documented_fields(schema: dict, path: str, method: str, status: int) -> set[str]:
    """The fields the OpenAPI document promises in the JSON answer `status` of `method path` (a list: its items'):
    what a client generated from the contract reads. An answer of several shapes (oneOf): any of theirs."""
    body = _answer_schema(schema, path, method, status)
    body = _component(schema, body.get("items", body))
    return set().union(*(_component(schema, shape)["properties"] for shape in body.get("oneOf", [body])))


def undocumented(schema: dict, path: str, method: str, status: int, answer) -> list[str]:
    """What in `answer` (parsed JSON) strays from the document's answer `status` of `method path`, nested objects
    and lists included: a key it does not promise, a required key missing, null where the document does not say
    `nullable`, a value of another JSON type, a string that is not the `date` / `date-time` it promises, a value
    outside its enum. An answer of several shapes (oneOf) must fit exactly one. [] when the answer is as
    documented."""
    return _strays(schema, _answer_schema(schema, path, method, status), answer, "answer")


_JSON_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "array": (list,),
               "object": (dict,)}


def _nullable(schema: dict, node: dict) -> bool:
    """Whether the document lets `node` be null: `nullable` on it or on a reference it wraps, null among its
    enum, a oneOf with a nullable shape, or no type said at all (any value)."""
    while True:
        if node.get("nullable") or None in node.get("enum", ()):
            return True
        if "oneOf" in node:
            return any(_nullable(schema, shape) for shape in node["oneOf"])
        if "$ref" in node:
            node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
        elif len(node.get("allOf", ())) == 1:
            node = node["allOf"][0]
        else:
            return not ({"type", "properties", "enum", "allOf"} & set(node))


def _wrong_kind(node: dict, value) -> str | None:
    kind = node.get("type")
    if kind in _JSON_TYPES and (not isinstance(value, _JSON_TYPES[kind])
                                or (isinstance(value, bool) and kind in ("integer", "number"))):
        return f"is {type(value).__name__}, the document says {kind}"
    if "enum" in node and value not in node["enum"]:
        return f"is {value!r}, not one of {node['enum']}"
    if isinstance(value, str) and node.get("format") in ("date", "date-time"):
        try:
            if node["format"] == "date" and len(value) == 10:
                datetime.date.fromisoformat(value)
            else:
                datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
                assert node["format"] == "date-time"
        except (ValueError, AssertionError):
            return f"is {value!r}, not a {node['format']}"
    return None


def _strays(schema: dict, node: dict, value, where: str) -> list[str]:
    if value is None:
        return [] if _nullable(schema, node) else [f"{where} is null, the document does not say nullable"]
    node = _component(schema, node)
    if "oneOf" in node:
        verdicts = [_strays(schema, shape, value, where) for shape in node["oneOf"]]
        fits = sum(1 for v in verdicts if not v)
        return [] if fits == 1 else [f"{where} fits {fits} of its {len(verdicts)} shapes: {verdicts}"]
    if (wrong := _wrong_kind(node, value)) is not None:
        return [f"{where} {wrong}"]
    if isinstance(value, list) and "items" in node:
        return [s for i, item in enumerate(value) for s in _strays(schema, node["items"], item, f"{where}[{i}]")]
    if not (isinstance(value, dict) and "properties" in node):
        return []
    props = node["properties"]
    return ([f"{where}.{key} is not documented" for key in value if key not in props]
            + [f"{where}.{key} is required and missing" for key in node.get("required", ()) if key not in value]
            + [s for key, item in value.items() if key in props for s in _strays(schema, props[key], item,
                                                                                   f"{where}.{key}")])
