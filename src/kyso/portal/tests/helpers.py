"""Test helpers: a second CA standing in for a licensed public CA (VNPT-CA, Viettel-CA…), submitter
accounts with certificates from it, and the demo forms as XML."""

from __future__ import annotations

import base64
import os

from django.db import transaction

from kyso.core.context import acting_as

from ..samples import d02, d03, tk1  # noqa: F401 - re-exported for the tests


def public_ca():
    """A separate root CA; being a CertificateAuthority row, the default trust store holds its root and CRL."""
    from kyso.pki.ca import create_ca
    from kyso.pki.models import CertificateAuthority

    with acting_as(label="test"), transaction.atomic():
        return CertificateAuthority.objects.filter(name="test-public-ca").first() or \
            create_ca("test-public-ca", "CA công cộng mô phỏng (kiểm thử)")


def submitter(username: str, kind: str, unit_code: str, *, name: str, tax_code: str = "", with_cert: bool = True,
              email: str = "", phone: str = ""):
    """(Submitter, IssuedCertificate|None, KeyHandle|None): an external account with a public-CA certificate."""
    from kyso.accounts.models import User
    from kyso.org.models import Unit
    from kyso.pki.keystore import software_store
    from kyso.portal.models import Submitter

    with acting_as(label="test"), transaction.atomic():
        user = User.objects.create(username=username, email=email or f"{username}@example.vn")
        sub = Submitter.objects.create(user=user, kind=kind, name=name, tax_code=tax_code, unit=Unit.objects.get(code=unit_code),
                                       email=email or f"{username}@example.vn", phone=phone, has_digital_signature=with_cert)
        if not with_cert:
            return sub, None, None
        issued, key = holder_certificate(name, f"MST:{tax_code}" if tax_code else "")
        return sub, issued, key


def holder_certificate(name: str, uid: str, *, person: bool = False):
    """(IssuedCertificate, KeyHandle) from the public CA for an organisation (`MST:…`) or a person (`CCCD:…`)."""
    from kyso.pki.keystore import software_store
    from kyso.portal.certificates import issue_to_holder

    with acting_as(label="test"), transaction.atomic():
        label = f"test-sub-{os.urandom(5).hex()}"
        key = software_store().generate(label, "rsa2048")
        issued = issue_to_holder(key.public_key(), ca=public_ca(), name=name, uid=uid, key_location=f"keystore:{label}",
                                 person=person)
        return issued, key


def register_ivan(ivan_sub, tax_code: str, name: str, unit_code: str = "HN.BD"):
    """An officer of the managing office registers the employer with the I-VAN provider."""
    from kyso.accounts.models import User
    from kyso.portal import registry

    officer = User.objects.get(username="motcua.hn")
    with acting_as(officer), transaction.atomic():
        return registry.register_ivan(officer, ivan_login=ivan_sub.user.username, tax_code=tax_code, name=name,
                                      unit_code=unit_code)


def signed(xml: bytes, issued, key) -> bytes:
    from kyso.pki.ca import chain
    from kyso.signing.xml import sign_xml

    with acting_as(label="test"), transaction.atomic():
        return sign_xml(xml, key, issued.certificate, chain=chain(issued.ca.name), level="B-B")


def b64file(name: str, data: bytes) -> dict:
    return {"name": name, "content": base64.b64encode(data).decode()}


def submit(employer_api, files, procedure: str = "600") -> str:
    """The employer files a signed dossier through the API; its code."""
    r = employer_api.post("/api/v1/portal/dossiers/", {"procedure": procedure, "files": files}, format="json")
    assert r.status_code == 201, r.json()
    return r.json()["code"]


def act(client, code: str, what: str, body: dict):
    """`POST /api/v1/portal/dossiers/<code>/<what>/` (steps, supplement-request, apology, …) as `client`."""
    return client.post(f"/api/v1/portal/dossiers/{code}/{what}/", body, format="json")


def client_for(user):
    from rest_framework.test import APIClient

    from kyso.accounts.models import ApiToken

    with acting_as(label="test"), transaction.atomic():
        _token, secret = ApiToken.issue(user, "test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def make_dossier(unit, procedure_code: str = "600", *, name: str = "Công ty TNHH Phạm vi", tax_code: str = "0100000001"):
    """A received dossier at `unit` without going through the signature checks (scope and workflow tests)."""
    from kyso.portal import intake, rules
    from kyso.portal.models import Procedure
    from django.utils import timezone

    with acting_as(label="test"), transaction.atomic():
        proc = Procedure.objects.get(code=procedure_code)
        rule = rules.require_accepted(kind="signed", channel="portal", procedure_code=procedure_code,
                                      submitter_kind="employer", has_signature=True, on=timezone.localdate())
        return intake._create(proc=proc, unit=unit, channel="portal", kind="signed", rule=rule, submitter=None, user=None,
                              name=name, tax_code=tax_code, email="ketoan@phamvi.vn", phone="", checked=[])


def office_leader(unit_code: str = "HN.BD", username: str = "giamdoc.bd"):
    """(User, certificate serial): the office's director with Role.LEADER there — he alone signs its results with
    his own certificate (Art. 8.2 of Decision 508) — and that certificate on his USB token (SoftHSM standing in,
    PIN `pki.testing.TEST_PIN`). The same person and token on a second call."""
    from kyso.accounts.models import RoleAssignment, User
    from kyso.org.models import Person, Unit
    from kyso.pki.issuance import SubjectInfo
    from kyso.pki.testing import make_signer
    from kyso.portal.result_signature import token_certificates

    with acting_as(label="test"), transaction.atomic():
        unit = Unit.objects.get(code=unit_code)
        person = Person.objects.filter(unit=unit, title="Giám đốc").order_by("pk").first()
        user = User.objects.filter(username=username).first()
        if user is None:
            from kyso.accounts.demo import DEMO_PASSWORD

            user = User(username=username, email=person.email, person=person)
            user.set_password(DEMO_PASSWORD)       # a browser logs in as him like as any demo login
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role="leader", unit=unit)
        cert = token_certificates(user).first()
        if cert is None:
            cert, _key = make_signer("person", SubjectInfo(
                common_name=person.full_name, email=person.email, title=person.title, organizational_unit=unit.name,
                locality=unit.province_name), key_spec="rsa2048", in_token=True)
        return User.objects.get(pk=user.pk), cert.serial


def sign_fields(unit_code: str = "HN.BD") -> dict:
    """What the leader sends to sign a result: his certificate and its PIN (the API body, the page's form)."""
    from kyso.pki.testing import TEST_PIN

    _user, serial = office_leader(unit_code)
    return {"certificate": serial, "pin": TEST_PIN}


def leader_signs(dossier, note: str = "", unit_code: str = "HN.BD"):
    """The office's leader takes the sign step of `dossier` with his token (through `processing.advance`)."""
    from kyso.portal import processing

    user, _serial = office_leader(unit_code)
    with acting_as(user), transaction.atomic():
        return processing.advance(user, dossier, "sign", note=note, **sign_fields(unit_code))


def leader_api(unit_code: str = "HN.BD"):
    """An API client of the office's leader."""
    return client_for(office_leader(unit_code)[0])
