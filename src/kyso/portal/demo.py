"""Demo data of the portal: the catalogue (already seeded by migration), an employer, an I-VAN
provider and a commune committee with their logins, Ba Đình's director (`giamdoc.bd`, the leader who signs its
results, his certificate on a USB token — SoftHSM standing in — with PIN `LEADER_PIN`), and a few dossiers in
different states. Idempotent: a second run adds nothing."""

from __future__ import annotations

import os

from django.db import transaction

from kyso.accounts import scope
from kyso.accounts.demo import DEMO_PASSWORD
from kyso.accounts.models import RoleAssignment, User
from kyso.core.context import acting_as
from kyso.org.models import Person, Unit
from kyso.pki.ca import chain, create_ca
from kyso.pki.issuance import SubjectInfo, issue_on_token
from kyso.pki.keystore import init_softhsm_token, softhsm_available, software_store
from kyso.pki.models import CertificateAuthority, IssuedCertificate
from kyso.signing.xml import sign_xml

from . import intake, processing, seed
from .result_signature import token_certificates
from . import samples as forms
from .certificates import issue_to_holder
from .models import Dossier, Submitter

DEMO_SUBMITTERS = [
    # username, kind, unit, name, tax code, phone, has digital signature
    ("congty.anhduong", "employer", "HN.BD", "Công ty TNHH Ánh Dương", "0101234567", "0912345678", True),
    ("ivan.efy", "ivan", "HN", "Công ty Cổ phần Công nghệ EFY Việt Nam (I-VAN)", "0102519041", "", True),
    ("ubnd.kimma", "commune", "HN.BD", "UBND phường Kim Mã", "", "", False),
]


def _public_ca():
    return CertificateAuthority.objects.filter(name="demo-public-ca").first() or \
        create_ca("demo-public-ca", "CA công cộng mô phỏng (DEMO - không dùng thật)")


def _certificate(sub, ca):
    label = f"demo-submitter-{sub.user.username.replace('.', '-')}"
    store = software_store()
    key = store.get(label) if store.exists(label) else store.generate(label, "rsa2048")
    issued = IssuedCertificate.objects.filter(key_location=f"keystore:{label}").first()
    if issued is None:
        issued = issue_to_holder(key.public_key(), ca=ca, name=sub.name, uid=f"MST:{sub.tax_code}",
                                 key_location=f"keystore:{label}")
    return issued, key


LEADER_LOGIN, LEADER_PIN = "giamdoc.bd", "123456"


def office_leader(unit_code: str = "HN.BD", login: str = LEADER_LOGIN):
    """(User, certificate serial) of the office's director: Role.LEADER at the office, his certificate on a USB
    token (SoftHSM) unlocked by `LEADER_PIN`; None without SoftHSM. Reused on a second run."""
    unit = Unit.objects.filter(code=unit_code).first()
    person = Person.objects.filter(unit=unit, title="Giám đốc").order_by("pk").first() if unit else None
    if person is None or not softhsm_available():
        return None
    user = User.objects.filter(username=login).first()
    if user is None:
        user = User(username=login, email=person.email, person=person)
        parts = person.full_name.split()
        user.first_name, user.last_name = parts[-1], " ".join(parts[:-1])
        user.set_password(DEMO_PASSWORD)
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role="leader", unit=unit)
    RoleAssignment.objects.get_or_create(user=user, role="subscriber", unit=person.unit)
    scope.forget(user)
    cert = token_certificates(user).first()
    if cert is None:
        token = f"demo-leader-{unit_code.lower().replace('.', '-')}-{os.urandom(3).hex()}"
        init_softhsm_token(token, LEADER_PIN, os.urandom(8).hex())
        cert = issue_on_token(token, LEADER_PIN, "person", SubjectInfo(
            common_name=person.full_name, email=person.email, title=person.title, organizational_unit=unit.name,
            locality=unit.province_name), 365, key_spec="rsa2048")
    return user, cert.serial


def load(ctx) -> None:
    seed.apply()
    leader = office_leader()
    if leader is not None:
        ctx["lines"].append(f"  {LEADER_LOGIN:<16} Lãnh đạo ký kết quả hồ sơ của BHXH quận Ba Đình (USB token mô phỏng, "
                            f"PIN {LEADER_PIN})")
    subs = {}
    for username, kind, unit, name, tax, phone, has_sig in DEMO_SUBMITTERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@example.vn")
            user.set_password(DEMO_PASSWORD)
            user.save()
        subs[username] = Submitter.objects.get_or_create(user=user, defaults=dict(
            kind=kind, name=name, tax_code=tax, unit=Unit.objects.get(code=unit), email=user.email, phone=phone,
            has_digital_signature=has_sig))[0]
        ctx["lines"].append(f"  {username:<16} {Submitter.objects.get(user=user).get_kind_display()} — {name}")
    if Dossier.objects.exists():
        return
    ca = _public_ca()
    employer = subs["congty.anhduong"]
    issued, key = _certificate(employer, ca)
    users = {u.username: u for u in User.objects.filter(username__in=["badinh", "motcua.bd", "lanhdao"])}

    def submit(xmls):
        files = [intake.Upload(f"{name}.xml", sign_xml(x, key, issued.certificate, chain=chain(ca.name)))
                 for name, x in xmls]
        with acting_as(employer.user, channel="web"), transaction.atomic():
            return intake.submit_signed(employer.user, procedure_code="600", files=files)

    fresh = submit([("D02-TS", forms.d02()), ("TK1-TS", forms.tk1())])
    waiting = submit([("D02-TS", forms.d02(workers=3))])
    done = submit([("D02-TS", forms.d02(workers=2))])
    officer, desk = users["badinh"], users["motcua.bd"]   # four eyes: who assigns or approves does not process
    with acting_as(officer, channel="web"), transaction.atomic():
        processing.advance(officer, waiting, "assign", assignee=desk.username)
        processing.request_supplement(officer, waiting, ["Tờ khai TK1-TS của người lao động mới"])
        processing.advance(officer, done, "assign", note="Demo", assignee=desk.username)
    with acting_as(desk, channel="web"), transaction.atomic():
        processing.advance(desk, done, "process", note="Demo")
    with acting_as(officer, channel="web"), transaction.atomic():
        processing.advance(officer, done, "approve", note="Demo")
    if leader is not None:      # Ba Đình's director signs the result with his token; the office's seal goes over it
        with acting_as(leader[0], channel="web"), transaction.atomic():
            processing.advance(leader[0], done, "sign", note="Demo", certificate=leader[1], pin=LEADER_PIN)
        with acting_as(desk, channel="web"), transaction.atomic():
            processing.advance(desk, done, "return")
    with acting_as(desk, channel="web"), transaction.atomic():
        child = intake.receive_barcode(users["motcua.bd"], unit=Unit.objects.get(code="HN.BD"), procedure_code="TE6",
                                       payload=forms.d03(children=2), submitter_kind="commune", name="UBND phường Kim Mã",
                                       has_digital_signature=False)
    done_state = "đã trả" if leader is not None else "chờ lãnh đạo ký kết quả"
    ctx["lines"].append(f"Hồ sơ demo: {fresh.code} (mới), {waiting.code} (chờ bổ sung), {done.code} ({done_state}), "
                        f"{child.code} (mã vạch, thẻ BHYT trẻ em)")
