"""On the command line too, dates are typed and shown as people write them (dd/mm/yyyy, month as mm/yyyy).

Before: `kyso lifecycle remind --on 31/12/2026` died with a Python traceback (it read ISO only), `kyso ca revoke
--invalidity-date` wanted ISO 8601 and read a time without zone as UTC, `kyso workdays is` and `year` printed
ISO dates."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from kyso.core import dates
from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput
from kyso.pki.models import IssuedCertificate
from kyso.pki.testing import make_signer

VN = dt.timezone(dt.timedelta(hours=7))


def test_a_moment_as_an_operator_types_it():
    assert dates.parse_moment("05/03/2026 14:30") == dt.datetime(2026, 3, 5, 14, 30, tzinfo=VN)
    assert dates.parse_moment("05/03/2026") == dt.datetime(2026, 3, 5, 0, 0, tzinfo=VN)
    assert dates.parse_moment("2026-03-05T07:30:00Z") == dt.datetime(2026, 3, 5, 7, 30, tzinfo=dt.timezone.utc)
    assert dates.parse_moment("2026-03-05 14:30") == dt.datetime(2026, 3, 5, 14, 30, tzinfo=VN)
    assert dates.parse_moment("") is None
    for bad, code in (("05/03/2026 25:00", "date.time"), ("31/02/2026 10:00", "date.impossible"),
                      ("03/05/2026pm", "date.format"), ("2026-13-45T00:00", "date.format")):
        with pytest.raises(InvalidInput) as exc:
            dates.parse_moment(bad)
        assert exc.value.code == code, bad


@pytest.mark.django_db
def test_workdays_shows_days_as_dd_mm_yyyy(capsys):
    with pytest.raises(CommandError):                      # 01/01 is a holiday: the command says so and exits 1
        call_command("workdays", "is", "01/01/2026")
    out = capsys.readouterr().out
    assert out.startswith("01/01/2026 ") and "2026-01-01" not in out
    call_command("workdays", "year", "2026")
    lines = capsys.readouterr().out.split("\n")
    assert lines[0][:10].count("/") == 2 and not any("2026-" in line for line in lines)


@pytest.mark.django_db
def test_lifecycle_remind_reads_dd_mm_yyyy(capsys):
    call_command("lifecycle", "remind", "--on", "31/12/2026")
    assert capsys.readouterr().out.startswith("Hết hạn:")
    with pytest.raises(CommandError) as exc:
        call_command("lifecycle", "remind", "--on", "31/02/2026")
    assert "date.impossible" in str(exc.value)


@pytest.mark.django_db
def test_revoke_reads_the_compromise_time_in_local_time(pki):
    with acting_as(label="t"), transaction.atomic():
        cert = make_signer()[0]
    call_command("ca", "revoke", "--serial", cert.serial, "--reason", "keyCompromise",
                 "--invalidity-date", "05/03/2026 14:30")
    stored = IssuedCertificate.objects.get(pk=cert.pk).invalidity_date
    assert timezone.localtime(stored).strftime("%d/%m/%Y %H:%M") == "05/03/2026 14:30"
    assert stored == dt.datetime(2026, 3, 5, 7, 30, tzinfo=dt.timezone.utc)
    with acting_as(label="t"), transaction.atomic():
        other = make_signer()[0]
    with pytest.raises(CommandError) as exc:
        call_command("ca", "revoke", "--serial", other.serial, "--reason", "keyCompromise",
                     "--invalidity-date", "05/03/2026 25:00")
    assert "date.time" in str(exc.value)
    assert IssuedCertificate.objects.get(pk=other.pk).status == "good"        # nothing half-written
