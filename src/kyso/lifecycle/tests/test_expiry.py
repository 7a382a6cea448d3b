"""Letter 26: the expiry dashboard (expired; within 30/60/90 days), reminders by e-mail and SMS to the
subscriber and his unit — each threshold once —, expired certificates marked, and the daily digest of
overdue steps; `kyso lifecycle remind` runs them."""

import datetime as dt

import pytest
from django.core.management import call_command

from kyso.lifecycle import reminders
from kyso.lifecycle.models import Certificate, Step
from kyso.notify.models import Notification

from .factories import certificate_for


@pytest.fixture
def certs(demo):
    people = [demo.person("HN.BD", t) for t in ("Giám đốc", "Phó Giám đốc", "Chuyên viên")]
    return {
        "c20": certificate_for("person", person=people[0], days=20),
        "c45": certificate_for("person", person=people[1], days=45),
        "c80": certificate_for("person", person=people[2], days=80),
        "c400": certificate_for("organization", unit=demo.unit("HN.BD"), days=400),
        "far": certificate_for("organization", unit=demo.unit("HCM"), days=25),   # outside Ba Đình
    }


@pytest.mark.django_db
def test_dashboard_counts_and_filters_within_scope(api, certs):
    client = api("badinh")
    assert client.get("/api/v1/lifecycle/certificates/expiry/").json() == \
        {"expired": 0, "within_30": 1, "within_60": 1, "within_90": 1}
    listed = client.get("/api/v1/lifecycle/certificates/?expiring=60").json()["results"]
    assert {c["serial"] for c in listed} == {certs["c20"].serial, certs["c45"].serial}
    assert api("cntt").get("/api/v1/lifecycle/certificates/expiry/").json()["within_30"] == 2
    bad = client.get("/api/v1/lifecycle/certificates/?expiring=17")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "lifecycle.expiring"


@pytest.mark.django_db
def test_reminders_once_per_threshold_to_subscriber_and_unit(certs):
    assert reminders.remind_expiring() == 4
    c20 = certs["c20"]
    sent = Notification.objects.filter(topic="lifecycle.expiry", object_id=str(c20.pk))
    assert {n.channel for n in sent} == {"email", "sms"}
    assert {n.recipient for n in sent.filter(channel="email")} == {c20.subscriber.person.email,
                                                                    "vanthu@hanoi.vss.gov.vn"}
    assert c20.serial in sent.first().body and "gia hạn" in sent.first().body
    assert reminders.remind_expiring() == 0            # nothing repeats on the same day
    c20.refresh_from_db()
    assert c20.reminded_days == 30
    # 15 days later the 20-day certificate crosses the 7-day threshold
    later = dt.date.today() + dt.timedelta(days=15)
    assert Certificate.objects.get(pk=c20.pk).reminded_days == 30
    assert reminders.remind_expiring(later) >= 1
    c20.refresh_from_db()
    assert c20.reminded_days == 7


@pytest.mark.django_db
def test_expired_marked_and_cli_remind(certs, capsys):
    later = dt.date.today() + dt.timedelta(days=30)
    call_command("lifecycle", "remind", "--on", later.isoformat())
    out = capsys.readouterr().out
    assert "Hết hạn: 2" in out
    assert set(Certificate.objects.filter(status="expired").values_list("pk", flat=True)) == \
        {certs["c20"].pk, certs["far"].pk}


@pytest.mark.django_db
def test_daily_digest_lists_overdue_work_to_the_officers_it_waits_for(api, demo, as_user, capsys):
    """The digest and `kyso lifecycle steps` read the same queues as the home page: the overdue handover
    to the subscriber waits for Ba Đình's officer — not for the province, whose scope covers it but which
    has an officer below it —, and never for Hồ Chí Minh."""
    from django.db import transaction
    from django.utils import translation

    from kyso import audit
    from kyso.lifecycle.flows import REQUEST
    from kyso.lifecycle.models import IssuanceRequest

    from .factories import in_state

    person = demo.person("HN.BD", "Giám đốc")
    r = api("badinh").post("/api/v1/lifecycle/requests/", {"kind": "person", "person": person.pk}, format="json")
    req = in_state(IssuanceRequest.objects.get(pk=r.json()["id"]), "handed_to_unit")
    with as_user(demo.user("admin")), transaction.atomic(), audit.action("test.step"):
        Step.objects.create(subject_type="request", subject_id=req.pk, name="handover_subscriber", label="Chuyển giao",
                            unit=demo.unit("HN.BD"), started_on=dt.date(2026, 2, 26), due_on=dt.date(2026, 3, 2))
    assert reminders.digest(dt.date(2026, 3, 3)) >= 1
    recipients = set(Notification.objects.filter(topic="lifecycle.digest").values_list("recipient", flat=True))
    assert demo.user("badinh").email in recipients
    assert demo.user("hanoi").email not in recipients and demo.user("hcm").email not in recipients
    with translation.override("vi"):
        title = str(REQUEST.transition("handover_subscriber").queue)
    body = Notification.objects.filter(topic="lifecycle.digest", recipient=demo.user("badinh").email).first().body
    assert "02/03/2026" in body and title in body and person.full_name in body
    call_command("lifecycle", "steps", "--user", "badinh")
    out = capsys.readouterr().out
    assert f"02/03/2026\t{title}\t#{req.pk}" in out and "QUÁ HẠN" in out
    call_command("lifecycle", "steps", "--user", "hcm")
    assert f"#{req.pk}" not in capsys.readouterr().out


@pytest.mark.django_db
def test_seal_campaign(api, demo):
    from kyso.lifecycle.tests.factories import certificate_for as cert

    cert("organization", unit=demo.unit("HN.BD"))
    no_seal = cert("organization", unit=demo.unit("HN.THU"))        # an imported leftover (letter 26)
    data = api("hanoi").get("/api/v1/lifecycle/certificates/campaign/").json()
    assert [c["serial"] for c in data["to_revoke"]] == [no_seal.serial]
    to_request = {u["code"] for u in data["to_request"]}
    assert "HN.VP" in to_request and "HN.BD" not in to_request and "HN.THU" not in to_request
    assert not any(code.startswith("HCM") for code in to_request)
