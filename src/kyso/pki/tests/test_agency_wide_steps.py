"""Issue 16: the CA's own operations — issue a certificate from a CSR, revoke, suspend and release a certificate, unlock a token's PIN — are steps
of the step runner whatever calls them (API, page, command line), checked at the agency's root. An IT officer of a
province holds the right in his province only, and that is never "anywhere": he is refused with the one error
shape, nothing changes and nothing is written; the IT Center's step is audited as the person who took it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from kyso.accounts.models import RoleAssignment, User
from kyso.accounts.roles import Role
from kyso.audit.models import AuditRecord
from kyso.core.context import acting_as
from kyso.org.models import Person, Unit
from kyso.pki import revocation
from kyso.pki.models import CertStatus, IssuedCertificate
from kyso.pki.testing import make_signer
from kyso.pki.tests.scope_cases import _csr

pytestmark = pytest.mark.django_db

AFTER = {"revoke": CertStatus.REVOKED, "suspend": CertStatus.HOLD, "release": CertStatus.GOOD}


@pytest.fixture
def provincial_it(demo):
    """An IT officer of Hà Nội: the IT officer's role, held at a province."""
    with acting_as(label="test"), transaction.atomic():
        hanoi = Unit.objects.get(code="HN")
        person = Person.objects.filter(unit__path__startswith=hanoi.path, user__isnull=True).first()
        officer = User.objects.create(username="cntt.hn", person=person)
        RoleAssignment.objects.create(user=officer, role=Role.IT_OFFICER, unit=hanoi)
    return officer


def _cert(op, **kw):
    with acting_as(label="t"), transaction.atomic():
        cert = make_signer(**kw)[0]
        if op == "release":
            revocation.suspend(cert.serial)
    return cert


def _status(cert):
    return IssuedCertificate.objects.get(pk=cert.pk).status


def _csr_body():
    person = Person.objects.exclude(email="").first()
    return _csr(type("Target", (), {"person": person})())


def _case(op):
    """(url, body, what the step changes) of an operation on the API: issuance adds a certificate, the others
    change one certificate's status."""
    if op == "issue":
        return "/api/v1/pki/certificates/", _csr_body(), lambda: IssuedCertificate.objects.count(), 201
    cert = _cert(op)
    return (f"/api/v1/pki/certificates/{cert.serial}/{op}/", {"reason": "keyCompromise"} if op == "revoke" else None,
            lambda: _status(cert), 200)


def _trail(action, since=0):
    """Who took the step `action` (its records after `since`, the count of records before)."""
    return list(AuditRecord.objects.filter(action=action).order_by("seq").values_list("actor", flat=True)[since:])


@pytest.mark.parametrize("op", ["issue", "revoke", "suspend", "release"])
def test_through_the_api_only_the_it_center(api, provincial_it, op):
    (url, body, state, done), outsider = _case(op), api("cntt.hn")
    before, records, trail = state(), AuditRecord.objects.count(), _trail(f"pki.certificate.{op}")
    r = outsider.post(url, body, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert state() == before and AuditRecord.objects.count() == records
    r = api("cntt").post(url, body, format="json")
    assert r.status_code == done, r.content
    assert state() == (before + 1 if op == "issue" else AFTER[op])
    assert _trail(f"pki.certificate.{op}", since=len(trail)) == ["cntt"]


def test_a_tokens_pin_is_unlocked_only_by_the_it_center(api, provincial_it):
    cert = _cert("unlock", in_token=True)
    url = f"/api/v1/pki/certificates/{cert.serial}/unlock-pin/"
    r = api("cntt.hn").post(url)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert _trail("pki.token.pin_unlock") == []
    assert api("cntt").post(url).status_code == 200
    assert set(_trail("pki.token.pin_unlock")) == {"cntt"}


@pytest.mark.parametrize("op", ["revoke", "suspend", "release"])
def test_on_the_page_the_refusal_is_the_step_runners(provincial_it, op):
    cert = _cert(op)
    page = Client(HTTP_ACCEPT_LANGUAGE="vi")
    page.force_login(provincial_it)
    before, records = _status(cert), AuditRecord.objects.count()
    shown = page.get(f"/pki/certificates/{cert.serial}/")
    assert shown.status_code == 200 and b'name="op"' not in shown.content   # no control offered
    r = page.post(f"/pki/certificates/{cert.serial}/", {"op": op, "reason": "keyCompromise"}, follow=True)
    assert r.status_code == 200 and "Bạn không có quyền" in r.content.decode()
    assert _status(cert) == before and AuditRecord.objects.count() == records
    it = Client(HTTP_ACCEPT_LANGUAGE="vi")
    it.force_login(User.objects.get(username="cntt"))
    assert b'name="op"' in it.get(f"/pki/certificates/{cert.serial}/").content
    it.post(f"/pki/certificates/{cert.serial}/", {"op": op, "reason": "keyCompromise"})
    assert _status(cert) == AFTER[op] and _trail(f"pki.certificate.{op}") == ["cntt"]


@pytest.mark.parametrize("op", ["issue", "revoke", "suspend", "release"])
def test_from_the_command_line_as_a_person(provincial_it, op, tmp_path):
    if op == "issue":
        (tmp_path / "req.pem").write_text(_csr_body()["csr"])
        args = ["--csr", str(tmp_path / "req.pem"), "--profile", "ocsp", "--days", "365", "--out", str(tmp_path / "c.pem")]
        state = IssuedCertificate.objects.count
    else:
        cert = _cert(op)
        args = ["--serial", cert.serial, *(["--reason", "keyCompromise"] if op == "revoke" else [])]
        state = lambda: _status(cert)  # noqa: E731
    before, records, trail = state(), AuditRecord.objects.count(), _trail(f"pki.certificate.{op}")
    with pytest.raises(CommandError) as refused:
        call_command("ca", op, *args, "--user", "cntt.hn")
    assert "[forbidden]" in str(refused.value)
    assert state() == before and AuditRecord.objects.count() == records
    call_command("ca", op, *args, "--user", "cntt")
    assert state() == (before + 1 if op == "issue" else AFTER[op])
    assert _trail(f"pki.certificate.{op}", since=len(trail)) == ["cntt"]
