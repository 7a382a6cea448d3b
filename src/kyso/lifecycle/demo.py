"""Demo data for the lifecycle pages: devices in stock, requests at different steps, active
certificates of which some expire within 30 and 90 days (so the dashboard and reminders show)."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kyso.accounts.models import User
from kyso.org.models import Person, Unit
from kyso.pki.bootstrap import ensure_ca
from kyso.pki.issuance import SubjectInfo, issue_for_public_key

from . import services
from .models import Certificate, CertStatus, KeyDevice, Source, Subscriber


def load(ctx):
    if KeyDevice.objects.filter(serial__startswith="DEMO-TK-").exists():
        return
    itc = services.it_center()
    for i in range(1, 6):
        KeyDevice.objects.create(serial=f"DEMO-TK-{i:04d}", unit=itc, model="USB token (demo)")
    admin = User.objects.filter(username="admin").first()
    people = list(Person.objects.filter(is_active=True).exclude(user__username__in=["thuebao"]).order_by("pk"))
    ensure_ca()
    for person, days in zip(people[:3], (20, 75, 900)):
        key = ec.generate_private_key(ec.SECP256R1())   # the key lives on the subscriber's device
        issued = issue_for_public_key(key.public_key(), "person",
                                      SubjectInfo(common_name=person.full_name, email=person.email,
                                                  title=person.title[:64], organizational_unit=person.unit.name[:64]),
                                      days, key_location="device:demo")
        cert = issued.certificate
        sub = Subscriber.objects.create(kind="person", person=person, unit=person.unit,
                                        managing_unit=services.managing_unit(person.unit))
        Certificate.objects.create(serial=issued.serial, issuer=cert.issuer.rfc4514_string()[:300],
                                   subject=cert.subject.rfc4514_string()[:500], not_before=issued.not_before,
                                   not_after=issued.not_after, status=CertStatus.ACTIVE, kind="person", subscriber=sub,
                                   source=Source.EMBEDDED, effective_at=issued.not_before,
                                   der=cert.public_bytes(serialization.Encoding.DER))
    for person in people[3:6]:
        req = services.file_request(admin, kind="person", person=person)
        if person.pk % 2 and getattr(person, "user", None) != admin:   # nobody confirms his own request
            services.confirm_request(admin, req)
    _lists_up_the_hierarchy()
    ctx["lines"].append("Vòng đời chứng thư số: 5 thiết bị trong kho, 3 chứng thư số (1 sắp hết hạn), 3 đề nghị cấp; "
                        "danh sách của BHXH quận Ba Đình đã lên Trung tâm CNTT, 1 hồ sơ chờ kiểm tra, "
                        "1 danh sách chờ lãnh đạo phê duyệt")


def _lists_up_the_hierarchy():
    """Ba Đình files two requests and sends its list to Hà Nội, which sends it on to the IT Center; the IT
    Center finds one valid (in a list for the leader's approval) and has the other in its 3-day review."""
    users = {u.username: u for u in User.objects.filter(username__in=["badinh", "hanoi", "cntt"])}
    if len(users) < 3:
        return
    district = Unit.objects.get(code="HN.BD")
    # not the subscriber's demo login (thuebao): he files his own Form 01 when he tries the demo
    staff = list(Person.objects.filter(unit__path__startswith=district.path, is_active=True,
                                       subscriptions__isnull=True).exclude(user=users["badinh"])
                 .exclude(user__username="thuebao").order_by("pk")[:2])
    if len(staff) < 2:
        return
    reqs = [services.file_request(users["badinh"], kind="person", person=p) for p in staff]
    for req in reqs:
        services.confirm_request(users["badinh"], req)
    services.send_list(users["badinh"], services.compile_list(users["badinh"], district))
    province_list = services.compile_list(users["hanoi"], district.parent)
    services.send_list(users["hanoi"], province_list)
    services.receive_list(users["cntt"], province_list)
    reqs[0].refresh_from_db()
    services.review(users["cntt"], reqs[0], valid=True)
    services.compile_approval_list(users["cntt"], [reqs[0].pk])
