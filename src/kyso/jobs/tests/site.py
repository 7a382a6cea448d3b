"""A real installation for the tests that run real worker processes: its own data directory with a migrated
SQLite (or PostgreSQL) database and the demo organisation (built once per test process, copied per test), and
helpers to run `kyso` commands and Python snippets against it and to read its database."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import psycopg
import pytest

PY = sys.executable
PG = "postgresql://postgres@127.0.0.1:5432/"
_TEMPLATE: dict[str, Path] = {}


def _pg(sql: str) -> None:
    with psycopg.connect(PG + "postgres", autocommit=True) as con:
        con.execute(sql)


class Site:
    def __init__(self, root: Path, database: str = "", **env):
        self.root, self.database = root, database
        if database:
            env = {"DATABASE_URL": PG + database, "KYSO_GENERATE_SECRETS": "1", **env}
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith(("KYSO_", "DJANGO_", "DATABASE_URL"))},
                    "DJANGO_SETTINGS_MODULE": "kyso.settings", "KYSO_DATA_DIR": str(root),
                    "KYSO_JOBS_STALE_SECONDS": "3", "KYSO_LOG_LEVEL": "WARNING", **env}
        self.procs: list[subprocess.Popen] = []

    def kyso(self, *args, check=True, timeout=300) -> subprocess.CompletedProcess:
        return subprocess.run([PY, "-m", "kyso.cli", *args], env=self.env, capture_output=True, text=True,
                              check=check, timeout=timeout)

    def python(self, code: str, timeout=300) -> str:
        """Run `code` in a fresh process with Django set up on this site; returns what it printed."""
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        out = subprocess.run([PY, "-c", script], env=self.env, capture_output=True, text=True, timeout=timeout)
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout.strip()

    def start(self, *args, log: str = "worker") -> subprocess.Popen:
        """A `kyso` command running in the background (stopped after the test)."""
        return self.start_cmd([PY, "-m", "kyso.cli", *args], log=log)

    def start_cmd(self, argv: list[str], log: str) -> subprocess.Popen:
        with open(self.root / f"{log}.log", "ab") as out:
            proc = subprocess.Popen(argv, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def sql(self, query: str, *params):
        if self.database:
            with psycopg.connect(PG + self.database, autocommit=True) as con:
                return [tuple(r) for r in con.execute(query, params).fetchall()]
        con = sqlite3.connect(f"file:{self.root / 'kyso.sqlite3'}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def wait_for(self, query: str, predicate, timeout: float = 120.0, interval: float = 0.05):
        deadline = time.monotonic() + timeout
        while True:
            value = self.sql(query)
            if predicate(value):
                return value
            assert time.monotonic() < deadline, f"timed out waiting: {query} -> {value}"
            time.sleep(interval)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def submitted_bulk_revocation(n: int) -> str:
    """Code for `Site.python`: `n` certificates at HN.BD, then their bulk revocation submitted; prints the job id."""
    return f"""
from django.db import transaction
from kyso.core.context import acting_as
from kyso.accounts.models import User
from kyso.lifecycle import bulk
from kyso.lifecycle.tests.factories import ExternalCa, certificate_for
from kyso.org.models import Unit

unit = Unit.objects.get(code="HN.BD")
people = list(unit.people.order_by("pk")[:6])
ca = ExternalCa()
for i in range({n}):
    certificate_for("person", person=people[i % len(people)], ca=ca)
user = User.objects.get(username="badinh")
with acting_as(user, channel="cli"), transaction.atomic():
    job = bulk.start_bulk_revocation(user, unit, reason="d", detail="Đơn vị sáp nhập")
print(job.pk)
"""


def _template(vendor: str) -> Path:
    if vendor not in _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix=f"kyso-jobs-{vendor}-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        database = ""
        if vendor == "postgresql":
            database = f"kyso_jobs_tpl_{os.getpid()}"
            _pg(f"DROP DATABASE IF EXISTS {database}")
            _pg(f"CREATE DATABASE {database}")
            atexit.register(_pg, f"DROP DATABASE IF EXISTS {database}")
        site = Site(root, database)
        site.kyso("migrate", "--no-input")
        site.kyso("demo")
        _TEMPLATE[vendor] = root
    return _TEMPLATE[vendor]


def make_site(tmp_path, vendor: str = "sqlite"):
    """A copy of the prepared installation (files and database); yields it, then stops what was started in it."""
    root = tmp_path / "site"
    template = _template(vendor)
    shutil.copytree(template, root, symlinks=True)
    for conf in root.rglob("softhsm2.conf"):       # the copy's own tokens, not the template's
        conf.write_text(conf.read_text().replace(str(template), str(root)))
    database = ""
    if vendor == "postgresql":
        database = f"kyso_jobs_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        _pg(f"DROP DATABASE IF EXISTS {database}")
        _pg(f"CREATE DATABASE {database} TEMPLATE kyso_jobs_tpl_{os.getpid()}")
    s = Site(root, database)
    try:
        yield s
    finally:
        s.stop_all()
        if database:
            _pg(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


@pytest.fixture
def site(tmp_path):
    """The prepared installation on SQLite (the embedded default)."""
    yield from make_site(tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_site(request, tmp_path):
    """The prepared installation on SQLite, then on PostgreSQL."""
    yield from make_site(tmp_path, request.param)
