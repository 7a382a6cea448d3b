"""Demo data of signing: generated (not real) handwritten-signature and seal images for the demo
leaders and units, their certificates, and a decision signed the Decree 30 way — the director's
signature, then the unit's seal over it, and an attachment stamped with the decision's number — to
upload on the public verification page. Idempotent: images and certificates are reused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings

from kyso.core.documents import OfficialDocument, Paragraph, render_pdf
from kyso.org.models import Person, Unit
from kyso.pki.ca import chain
from kyso.pki.issuance import SubjectInfo, issue_for_public_key
from kyso.pki.keystore import software_store
from kyso.pki.models import CertStatus, IssuedCertificate

from . import images
from .pdf import Appearance, sign_pdf
from .seal import unit_seal

# (unit code of the leader's unit, title of the leader in the org demo)
DEMO_LEADERS = [("VSS", "Phó Tổng Giám đốc"), ("HN", "Giám đốc"), ("HN.BD", "Giám đốc")]
DEMO_SEAL_UNITS = ["VSS", "HN", "HN.BD"]
DEMO_DOCUMENT_NUMBER = "125/QĐ-BHXH"


def _leader_certificate(person):
    """A person certificate for the demo leader, key in the software key store (reused on a second run)."""

    label = f"demo-leader-{person.pk}"
    store = software_store()
    key = store.get(label) if store.exists(label) else store.generate(label, "rsa2048")
    issued = (IssuedCertificate.objects.filter(key_location=f"keystore:{label}", status=CertStatus.GOOD)
              .order_by("-not_after").first())
    if issued is None:
        issued = issue_for_public_key(
            key.public_key(), "person",
            SubjectInfo(common_name=person.full_name, email=person.email, title=person.title,
                        organizational_unit=person.unit.name, locality=person.unit.province_name), 365,
            key_location=f"keystore:{label}")
    return issued, key


def _decision_pdf(unit, title: str = "QUYẾT ĐỊNH", subtitle: str = "Về việc giao nhiệm vụ thu bảo hiểm xã hội năm 2027 (văn bản mẫu của bản demo)") -> bytes:
    return render_pdf(OfficialDocument(
        governing_body="BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI", issuer=unit.name.upper(), number=f"Số: {DEMO_DOCUMENT_NUMBER}",
        place="Hà Nội", date=dt.date.today(), title=title, subtitle=subtitle,
        blocks=[Paragraph("Văn bản mẫu, ký số theo Nghị định 30/2020/NĐ-CP: chữ ký của người có thẩm quyền, "
                          "chữ ký số của cơ quan (con dấu) và phụ lục kèm theo trong tệp riêng.")]))


def load(ctx) -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in=DEMO_SEAL_UNITS + [c for c, _t in DEMO_LEADERS])}
    leaders = {}
    for code, title in DEMO_LEADERS:
        person = Person.objects.filter(unit=units.get(code), title=title).order_by("pk").first()
        if person is None:
            continue
        leaders[code] = person
        if images.signature_image_of(person) is None:
            images.save_signature_image(person, images.signature_png(person.full_name))
    for code in DEMO_SEAL_UNITS:
        unit = units.get(code)
        if unit is None or not unit.has_own_seal:
            continue
        if images.seal_image_of(unit) is None:
            images.save_seal_image(unit, images.seal_png(unit.name))
        unit_seal(unit)

    unit, person = units.get("HN.BD"), leaders.get("HN.BD")
    if unit is None or person is None:
        return
    ca_chain = chain()[:-1]
    issued, key = _leader_certificate(person)
    signed = sign_pdf(_decision_pdf(unit), key, issued.certificate, chain=ca_chain, level="B-T", appearance=Appearance(
        kind="leader", title=person.title, name=person.full_name, signature_image=images.signature_image_of(person)))
    seal_cert, seal_key = unit_seal(unit)
    sealed = sign_pdf(signed, seal_key, seal_cert.certificate, chain=ca_chain, level="B-LT", appearance=Appearance(
        kind="organization", organization=unit.name, seal_image=images.seal_image_of(unit)))
    attachment_pdf = _decision_pdf(unit, "PHỤ LỤC", f"Kèm theo Quyết định số {DEMO_DOCUMENT_NUMBER} (tệp riêng, Điều 8.7)")
    attachment = sign_pdf(attachment_pdf, seal_key, seal_cert.certificate, chain=ca_chain, level="B-T",
                          appearance=Appearance(kind="attachment", document_number=DEMO_DOCUMENT_NUMBER))
    out = Path(settings.DATA_DIR) / "demo"
    out.mkdir(parents=True, exist_ok=True)
    (out / "quyet-dinh-da-ky.pdf").write_bytes(sealed)
    (out / "phu-luc-da-ky.pdf").write_bytes(attachment)
    ctx["lines"].append(f"Ký số: ảnh chữ ký/con dấu mẫu cho {len(leaders)} lãnh đạo và {len(DEMO_SEAL_UNITS)} đơn vị; "
                        f"văn bản mẫu đã ký ở {out} — kiểm tra tại /signing/verify/")
