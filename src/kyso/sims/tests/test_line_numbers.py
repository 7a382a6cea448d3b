"""Issue 16, personal data: a SIM PKI line's number is the number the leader's SIM PKI prompts arrive on. Whom
registers and changes lines (the IT Center) sees it, each line shown so audited; the unit officer and the auditor
see the registry and the payment report with the number masked but for its last 3 digits, and nothing is written."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kyso.audit.models import AuditRecord
from kyso.sims import privacy

NUMBER, MASKED = "0911000001", "•••••••001"


@pytest.fixture
def line(demo, register):
    return register(demo.person("HN", "Giám đốc"), NUMBER, in_service_on=dt.date(2026, 1, 5))


def _reads():
    return AuditRecord.objects.filter(action=privacy.READ).count()


def _everything(client, sub) -> str:
    """Every place the registry shows a line: list, detail, payment report (page, API, XLSX), API list and detail."""
    out = [client.get("/sims/").content.decode(), client.get(f"/sims/{sub.pk}/").content.decode(),
           client.get("/sims/payment/?month=2026-03").content.decode(),
           client.get("/api/v1/sims/report/?month=2026-03").content.decode(),
           client.get("/api/v1/sims/subscriptions/").content.decode(),
           client.get(f"/api/v1/sims/subscriptions/{sub.pk}/").content.decode()]
    xlsx = client.get("/api/v1/sims/report/?month=2026-03&output=xlsx").content
    out += [str(c) for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True) for c in row if c]
    return "\n".join(out)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["hanoi", "kiemtoan"])
def test_the_unit_officer_and_the_auditor_see_it_masked_and_nothing_is_written(client, demo, line, who):
    client.force_login(demo.user(who))
    before = _reads()
    shown = _everything(client, line)
    assert "0911000001" not in shown and "911000001" not in shown, who
    assert MASKED in shown
    assert _reads() == before


@pytest.mark.django_db
def test_the_it_center_sees_it_and_each_read_is_audited(client, demo, line):
    client.force_login(demo.user("cntt"))
    before = _reads()
    shown = _everything(client, line)
    assert NUMBER in shown and "+84911000001" in shown
    reads = AuditRecord.objects.filter(action=privacy.READ, object_id=str(line.pk)).order_by("seq")
    assert reads.count() - before == 7          # list, detail, payment page, report API (JSON, XLSX), API list, detail
    assert {r.actor for r in reads} == {"cntt"}


@pytest.mark.django_db
def test_the_line_is_named_without_its_number(line):
    assert NUMBER not in str(line) and "911000001" not in str(line)
