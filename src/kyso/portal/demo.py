"""Demo data of the portal: the catalogue (already seeded by migration), an employer, an I-VAN
provider and a commune committee with their logins, and a few dossiers in different states.
Idempotent: a second run adds nothing."""

from __future__ import annotations

from django.db import transaction

from kyso.accounts.demo import DEMO_PASSWORD
from kyso.accounts.models import User
from kyso.core.context import acting_as
from kyso.org.models import Unit
from kyso.pki.ca import chain, create_ca
from kyso.pki.keystore import software_store
from kyso.pki.models import CertificateAuthority, IssuedCertificate
from kyso.signing.xml import sign_xml

from . import intake, processing, seed
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


def load(ctx) -> None:
    seed.apply()
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
    officer, desk = users["badinh"], users["motcua.bd"]   # four eyes: who assigns or signs does not process
    with acting_as(officer, channel="web"), transaction.atomic():
        processing.advance(officer, waiting, "assign", assignee=desk.username)
        processing.request_supplement(officer, waiting, ["Tờ khai TK1-TS của người lao động mới"])
        processing.advance(officer, done, "assign", note="Demo", assignee=desk.username)
    with acting_as(desk, channel="web"), transaction.atomic():
        processing.advance(desk, done, "process", note="Demo")
    with acting_as(officer, channel="web"), transaction.atomic():
        for step in ("approve", "sign"):
            processing.advance(officer, done, step, note="Demo")
    with acting_as(desk, channel="web"), transaction.atomic():
        processing.advance(desk, done, "return")
        child = intake.receive_barcode(users["motcua.bd"], unit=Unit.objects.get(code="HN.BD"), procedure_code="TE6",
                                       payload=forms.d03(children=2), submitter_kind="commune", name="UBND phường Kim Mã",
                                       has_digital_signature=False)
    ctx["lines"].append(f"Hồ sơ demo: {fresh.code} (mới), {waiting.code} (chờ bổ sung), {done.code} (đã trả), "
                        f"{child.code} (mã vạch, thẻ BHYT trẻ em)")
