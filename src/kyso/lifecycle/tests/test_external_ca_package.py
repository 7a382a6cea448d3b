"""The external CA behind the same interface: the approved list goes out as Form 02 (XLSX + PDF) with
the CSRs; the issued certificates come back as PEM, DER or PKCS#7 and are matched to the requests."""

import io
import zipfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from django.db import transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from kyso.core.context import acting_as
from kyso.files.storage import read
from kyso.lifecycle import exchange, services
from kyso.lifecycle.models import Record


def _approved(demo, people):
    cntt, leader, officer = demo.user("cntt"), demo.user("lanhdao"), demo.user("badinh")
    reqs = []
    with acting_as(officer, channel="cli"), transaction.atomic():
        for p in people:
            req = services.file_request(officer, kind="person", person=p)
            services.confirm_request(officer, req)
            reqs.append(req)
        lst = services.compile_list(officer, demo.unit("HN.BD"))
        services.send_list(officer, lst)
    with acting_as(demo.user("hanoi"), channel="cli"), transaction.atomic():
        up = services.compile_list(demo.user("hanoi"), demo.unit("HN"))
        services.send_list(demo.user("hanoi"), up)
    with acting_as(cntt, channel="cli"), transaction.atomic():
        services.receive_list(cntt, up)
        for r in reqs:
            r.refresh_from_db()
            services.review(cntt, r, valid=True)
        approval = services.compile_approval_list(cntt)
    with acting_as(leader, channel="cli"), transaction.atomic():
        services.approve_list(leader, approval)
    return reqs, approval


def _issue(email, name):
    """A certificate as the external CA would return it (here: signed by a throw-away CA)."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Ban Cơ yếu Chính phủ (ngoài, thử)")])
    key = ec.generate_private_key(ec.SECP256R1())
    import datetime as dt

    now = dt.datetime.now(dt.timezone.utc)
    return (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
            .sign(ca_key, hashes.SHA256()))


def test_export_then_import_pkcs7_pem_der(demo):
    # two more staff of the district, never the confirming officer himself (another officer confirms his own
    # request), read in a fixed order
    people = [demo.user("thuebao").person] + list(demo.unit("HN.BD").people.exclude(
        pk__in=[demo.user("thuebao").person.pk, demo.user("badinh").person.pk]).exclude(email="").order_by("pk")[:2])
    reqs, approval = _approved(demo, people)
    cntt = demo.user("cntt")
    with acting_as(cntt, channel="cli"), transaction.atomic():
        issued = services.send_to_ca(cntt, approval, ca=exchange.ExternalCa())
    assert issued == []
    package = exchange.export_package(approval, {r.pk: b"-----BEGIN CERTIFICATE REQUEST-----" for r in reqs})
    z = zipfile.ZipFile(io.BytesIO(package))
    assert {"mau-02-danh-sach.xlsx", "mau-02-danh-sach.pdf"} <= set(z.namelist())
    ws = load_workbook(io.BytesIO(z.read("mau-02-danh-sach.xlsx"))).active
    names = {row[1] for row in ws.iter_rows(min_row=5, values_only=True)}
    assert {p.full_name for p in people} <= names

    certs = [_issue(p.email, p.full_name) for p in people]
    bundle = pkcs7.serialize_certificates(certs[:2], serialization.Encoding.PEM)
    with acting_as(cntt, channel="cli"), transaction.atomic():
        done = services.import_issued(cntt, bundle)
        done += services.import_issued(cntt, certs[2].public_bytes(serialization.Encoding.DER))
    assert len(done) == 3 and all(c.source == "imported" for c in done)
    for r in reqs:
        r.refresh_from_db()
        assert r.state == "issued"


def test_forms_03_04_05_read_right(demo, api):
    """The archived Forms 03 (Cấp mới / Thu hồi), 04 and 05 say what happened, in the official layout."""
    people = [demo.user("thuebao").person]
    reqs, approval = _approved(demo, people)
    cntt, badinh = demo.user("cntt"), demo.user("badinh")
    req = reqs[0]
    with acting_as(cntt, channel="cli"), transaction.atomic():
        services.send_to_ca(cntt, approval)
        req.refresh_from_db()
        services.handover_to_unit(cntt, req)
    with acting_as(badinh, channel="cli"), transaction.atomic():
        services.handover_to_subscriber(badinh, req)
    with acting_as(cntt, channel="cli"), transaction.atomic():
        cert = services.activate(cntt, req)
    with acting_as(badinh, channel="cli"), transaction.atomic():
        services.request_revocation(badinh, cert, reason="d", detail="Nghỉ hưu từ 01/06/2026")

    def text(form):
        rec = Record.objects.filter(form=form).order_by("-id").first()
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(read(rec.pdf))).pages)

    t3 = text("03")
    assert "BIÊN BẢN GIAO NHẬN CHỨNG THƯ SỐ" in t3 and "Cấp mới" in t3 and cert.serial[:12] in t3.replace("\n", "")
    t4 = text("04")
    # the seed's Form 04: "THÔNG BÁO — Về việc đề nghị thời điểm có hiệu lực của chứng thư số"
    assert "THÔNG BÁO" in t4 and "đề nghị thời điểm có hiệu lực" in " ".join(t4.split()) and "Ban Cơ yếu Chính phủ" in t4
    t5 = text("05")
    assert "GIẤY ĐỀ NGHỊ THU HỒI CHỨNG THƯ SỐ" in t5 and "Nghỉ hưu" in t5 and people[0].full_name in t5
    for t in (t3, t4, t5):
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in t and "Độc lập - Tự do - Hạnh phúc" in t
