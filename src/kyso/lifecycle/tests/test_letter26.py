"""Letter 26/CNTT-HTA: import of certificates issued before Kyso (files + register, all or none),
expiry dashboard and reminders, renewal pre-filled from the old certificate, the seal campaign."""

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.core.management.base import CommandError

from kyso.lifecycle.models import Certificate


@pytest.fixture
def issued_files(tmp_path, demo, pki):
    """Two certificates from a CA (ours, standing in for the external one) for demo staff, as PEM and DER."""
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.pki.issuance import SubjectInfo
    from kyso.pki.testing import make_signer

    p1 = demo.user("thuebao").person
    p2 = demo.user("giamdoc.hn").person
    with acting_as(label="test"), transaction.atomic():
        c1, _ = make_signer("person", SubjectInfo(common_name=p1.full_name, email=p1.email), days=20)
        c2, _ = make_signer("person", SubjectInfo(common_name=p2.full_name, email=p2.email), days=365)
    (tmp_path / "a.pem").write_bytes(c1.pem)
    (tmp_path / "b.cer").write_bytes(c2.certificate.public_bytes(serialization.Encoding.DER))
    return tmp_path, c1, c2


def test_register_import_all_or_none(issued_files, demo):
    folder, c1, c2 = issued_files
    (folder / "bad.csv").write_text("tệp chứng thư,loại,số hiệu thiết bị,SIM\na.pem,person,TK-0001,\n"
                                    "nope.pem,person,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lifecycle.import.rejected"):
        call_command("lifecycle", "import", str(folder / "bad.csv"), str(folder / "a.pem"))
    assert not Certificate.objects.exists(), "nothing half-imported"

    (folder / "ok.csv").write_text("tệp chứng thư,loại,số hiệu thiết bị,SIM\na.pem,person,TK-0001,\n"
                                   "b.cer,person,,1\n", encoding="utf-8")
    call_command("lifecycle", "import", str(folder / "ok.csv"), str(folder / "a.pem"), str(folder / "b.cer"))
    assert Certificate.objects.count() == 2
    assert Certificate.objects.get(serial=c2.serial).mobile_sim is True
    assert Certificate.objects.get(serial=c1.serial).device.serial == "TK-0001"


def test_expiry_dashboard_reminders_and_renewal(issued_files, demo, api):
    folder, c1, c2 = issued_files
    (folder / "ok.csv").write_text("file,kind\na.pem,person\nb.cer,person\n", encoding="utf-8")
    call_command("lifecycle", "import", str(folder / "ok.csv"), str(folder / "a.pem"), str(folder / "b.cer"))
    buckets = api("hanoi").get("/api/v1/lifecycle/certificates/expiry/").json()
    assert buckets["within_30"] >= 1
    from kyso.notify.models import Notification

    call_command("lifecycle", "remind", "--days", "30")
    # queued in the outbox (delivered after commit by the notify app, e-mail and SMS)
    assert Notification.objects.filter(recipient=demo.user("thuebao").person.email, topic="lifecycle.expiry").exists()
    old = Certificate.objects.get(serial=c1.serial)
    resp = api("badinh").post(f"/api/v1/lifecycle/certificates/{old.pk}/renew/")
    assert resp.status_code == 201, resp.content
    assert resp.json()["old_certificate_serial"] == c1.serial
    assert resp.json()["full_name"] == demo.user("thuebao").person.full_name


def test_seal_campaign_lists_both_sides(demo, issued_files, api):
    from kyso.lifecycle import services
    from kyso.lifecycle.models import Subscriber

    no_seal = next(u for u in demo.unit("HN").children.all() if not u.has_own_seal)
    now = dt.datetime.now(dt.timezone.utc)
    sub = Subscriber.objects.create(kind="organization", unit=no_seal, managing_unit=demo.unit("HN"))
    with __import__("kyso.core.context", fromlist=["x"]).acting_as(label="t"), \
            __import__("django.db", fromlist=["transaction"]).transaction.atomic():
        Certificate.objects.create(serial="ff01", issuer="CN=Old CA", subject=f"CN={no_seal.name}", not_before=now,
                                   not_after=now + dt.timedelta(days=400), kind="organization", subscriber=sub,
                                   status="active", source="imported", der=b"")
    result = services.seal_campaign(demo.user("hanoi"))
    assert [c.subscriber.unit for c in result["to_revoke"]] == [no_seal]
    assert demo.unit("HN") in result["to_request"]
