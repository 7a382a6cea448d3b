"""Revocation, suspension and release; the CRL lists them (checked with openssl and pkilint)."""

import pytest
from cryptography import x509
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput, InvalidState, NotFound
from kyso.pki import crl, revocation
from kyso.pki.models import CertStatus
from kyso.pki.testing import make_signer

from .tools import errors, openssl, pkilint, write_chain

pytestmark = pytest.mark.django_db


def _cert():
    with acting_as(label="t"), transaction.atomic():
        return make_signer()[0]


def _crl_text(client, tmp_path, name="issuing"):
    r = client.get(f"/pki/crl/{name}.crl")
    assert r.status_code == 200 and r["Content-Type"] == "application/pkix-crl"
    path = tmp_path / f"{name}.crl"
    path.write_bytes(r.content)
    text = openssl("crl", "-inform", "DER", "-in", str(path), "-noout", "-text", "-CAfile", str(write_chain(tmp_path))).stdout.decode()
    return text, path


def _upper(serial):
    s = serial.upper()
    return s if len(s) % 2 == 0 else "0" + s


@pytest.mark.parametrize("reason", list(revocation.REASONS))
def test_every_rfc5280_reason(pki, reason):
    cert = _cert()
    with acting_as(label="t"):
        revocation.revoke(cert.serial, reason)
    cert.refresh_from_db()
    assert cert.status == (CertStatus.HOLD if reason == "certificateHold" else CertStatus.REVOKED)
    assert cert.revocation_reason == reason


def test_revoked_serial_is_listed_in_the_crl_with_its_reason(pki, client, tmp_path):
    cert = _cert()
    text, _p = _crl_text(client, tmp_path)
    number_before = int(text.split("X509v3 CRL Number:")[1].split()[0])
    with acting_as(label="t"):
        revocation.revoke(cert.serial, "keyCompromise")
    text, path = _crl_text(client, tmp_path)
    assert _upper(cert.serial) in text.replace(":", "")
    assert "Key Compromise" in text
    assert int(text.split("X509v3 CRL Number:")[1].split()[0]) > number_before
    crl_obj = x509.load_der_x509_crl(path.read_bytes())
    assert crl_obj.get_revoked_certificate_by_serial_number(cert.serial_int) is not None
    assert crl_obj.next_update_utc > crl_obj.last_update_utc
    assert not errors(pkilint("crl", path)), pkilint("crl", path)


def test_suspend_and_release(pki, client, tmp_path):
    cert = _cert()
    with acting_as(label="t"):
        revocation.suspend(cert.serial)
    text, _p = _crl_text(client, tmp_path)
    assert _upper(cert.serial) in text.replace(":", "") and "Certificate Hold" in text
    with acting_as(label="t"):
        revocation.release(cert.serial)
    text, _p = _crl_text(client, tmp_path)
    assert _upper(cert.serial) not in text.replace(":", "")
    cert.refresh_from_db()
    assert cert.status == CertStatus.GOOD


def test_refusals(pki):
    cert = _cert()
    with acting_as(label="t"):
        revocation.revoke(cert.serial, "superseded")
        with pytest.raises(InvalidState) as exc:
            revocation.revoke(cert.serial, "keyCompromise")
        assert exc.value.code == "pki.cert.already_revoked"
        with pytest.raises(InvalidState):
            revocation.release(cert.serial)
        with pytest.raises(InvalidInput) as exc:
            revocation.revoke(cert.serial, "tired")
        assert exc.value.code == "pki.reason.unknown"
        with pytest.raises(NotFound):
            revocation.revoke("abcdef0123", "keyCompromise")
        with pytest.raises(InvalidInput) as exc:
            revocation.revoke("not-hex!", "keyCompromise")
        assert exc.value.code == "pki.serial.invalid"


def test_crl_is_rebuilt_before_next_update(pki, tmp_path, settings):
    first = x509.load_der_x509_crl(crl.current("issuing"))
    again = x509.load_der_x509_crl(crl.current("issuing"))
    assert first.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == \
        again.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number  # served from the file
    import json

    meta_path = settings.DATA_DIR / "pki" / "crl" / "issuing.json"
    meta = json.loads(meta_path.read_text())
    meta["next_update"] = "2000-01-01T00:00:00+00:00"  # as if its nextUpdate were near
    meta_path.write_text(json.dumps(meta))
    third = x509.load_der_x509_crl(crl.current("issuing"))
    assert third.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > \
        first.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


def test_cli_revoke_and_crl(pki, tmp_path, capsys):
    cert = _cert()
    call_command("ca", "revoke", "--serial", cert.serial.upper(), "--reason", "keyCompromise")
    out = tmp_path / "cli.crl"
    call_command("ca", "crl", "--out", str(out))
    text = openssl("crl", "-inform", "DER", "-in", str(out), "-noout", "-text").stdout.decode()
    assert _upper(cert.serial) in text.replace(":", "")
    with pytest.raises(CommandError) as exc:
        call_command("ca", "revoke", "--serial", cert.serial, "--reason", "keyCompromise")
    assert "pki.cert.already_revoked" in str(exc.value)


def test_unknown_crl_is_404(client, pki):
    assert client.get("/pki/crl/nope.crl").status_code == 404
    assert client.get("/pki/ca/issuing.crt").status_code == 200


@pytest.mark.parametrize("op", ["revoke", "suspend", "release"])
def test_a_status_change_is_a_step_only_the_it_center_may_take(demo, as_user, op):
    """Whatever calls it (page, API, CLI run as a person), the step runner checks the permission: an officer
    of a province is refused, nothing changes, nothing is written; the IT Center's change is audited as his."""
    from kyso.audit.models import AuditRecord
    from kyso.core.errors import Forbidden

    cert = _cert()
    if op == "release":
        with acting_as(label="t"):
            revocation.suspend(cert.serial)
    call = (lambda actor: revocation.revoke(cert.serial, "keyCompromise", actor=actor)) if op == "revoke" else \
        (lambda actor: getattr(revocation, op)(cert.serial, actor=actor))
    before = cert.__class__.objects.get(pk=cert.pk).status
    records = AuditRecord.objects.count()
    outsider = demo.user("hanoi")
    with as_user(outsider), pytest.raises(Forbidden):
        call(outsider)
    assert cert.__class__.objects.get(pk=cert.pk).status == before
    assert AuditRecord.objects.count() == records
    officer = demo.user("cntt")
    with as_user(officer):
        call(officer)
    cert.refresh_from_db()
    assert cert.status == {"revoke": CertStatus.REVOKED, "suspend": CertStatus.HOLD, "release": CertStatus.GOOD}[op]
    assert AuditRecord.objects.filter(action=f"pki.certificate.{op}", actor="cntt",
                                      object_id=str(cert.pk)).exists()
