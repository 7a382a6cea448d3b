"""Incoming documents (Art. 8.8): every signature verified as the document is registered, the report kept;
a tampered or unsigned file is registered with its failing verdict, an unreadable or hostile file refused;
assignment with a deadline in working days."""

import datetime as dt

import pytest
import time_machine

from kyso.core.errors import Forbidden, InvalidInput
from kyso.eoffice import services
from kyso.eoffice.models import IncomingDocument, IncomingState
from kyso.files.storage import read

from .conftest import issued_by_hanoi

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued_pdf(demo, hn_leader, as_user):
    return read(issued_by_hanoi(demo, hn_leader, as_user).issued_file)


def _receive(demo, as_user, data, **kw):
    clerk = demo.user("vanthu.bd")
    fields = dict(filename="cv.pdf", sender="BHXH thành phố Hà Nội", subject="V/v thử nghiệm", original_number="1/BHXH-VP")
    fields.update(kw)
    with as_user(clerk):
        return services.receive_external(clerk, demo.unit("HN.BD"), data, **fields)


def test_a_valid_document_from_outside_passes(demo, as_user, issued_pdf):
    doc = _receive(demo, as_user, issued_pdf)
    assert doc.indication == "TOTAL_PASSED" and doc.verified and doc.arrival_number == 1
    assert [s["indication"] for s in doc.report["signatures"]] == ["TOTAL_PASSED", "TOTAL_PASSED"]
    assert read(doc.report_pdf).startswith(b"%PDF-")
    assert doc.events.get().verb == "registered"


def test_a_tampered_document_is_registered_as_failed(demo, as_user, issued_pdf):
    i = len(issued_pdf) // 3
    tampered = issued_pdf[:i] + bytes([issued_pdf[i] ^ 0x01]) + issued_pdf[i + 1:]
    doc = _receive(demo, as_user, tampered)
    assert doc.indication != "TOTAL_PASSED" and not doc.verified


def test_an_unsigned_document_does_not_pass(demo, as_user):
    from kyso.eoffice.drafting import render_draft

    pdf = render_draft(organization="CÔNG TY A", symbol_suffix="CV", place="Hà Nội", subject="V/v", body="Nội dung")
    doc = _receive(demo, as_user, pdf)
    assert doc.indication != "TOTAL_PASSED"


@pytest.mark.parametrize("data", [b"", b"garbage that is neither pdf nor xml",
                                  b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'])
def test_unreadable_or_hostile_files_are_refused(demo, as_user, data):
    with pytest.raises(InvalidInput) as e:
        _receive(demo, as_user, data)
    assert e.value.code.startswith(("eoffice.", "signing.input"))
    assert not IncomingDocument.objects.exists()


def test_registration_needs_sender_and_summary_and_scope(demo, as_user, issued_pdf):
    with pytest.raises(InvalidInput) as e:
        _receive(demo, as_user, issued_pdf, sender="", subject="")
    assert set(e.value.fields) == {"sender", "subject"}
    other = demo.user("vanthu.bd")
    with as_user(other), pytest.raises(Forbidden):
        services.receive_external(other, demo.unit("HCM"), issued_pdf, filename="x.pdf", sender="A", subject="B")


def test_assignment_deadline_in_working_days_across_tet(demo, as_user, issued_pdf):
    clerk, handler = demo.user("vanthu.bd"), demo.user("thuebao")
    doc = _receive(demo, as_user, issued_pdf, urgency="normal")
    with time_machine.travel(dt.datetime(2026, 2, 12, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))):
        with as_user(clerk):
            doc = services.assign(doc, clerk, handler)                    # normal: 5 working days
    # Thu 12/02/2026 + 5 working days: Fri 13/02, then Tết (14–22/02 off), 23, 24, 25, 26/02 → Thu 26/02/2026
    assert doc.due_date == dt.date(2026, 2, 26) and doc.state == IncomingState.ASSIGNED
    with as_user(clerk), pytest.raises(InvalidInput) as e:
        services.assign(doc, clerk, demo.user("hcm"), days=2)           # not someone of Ba Đình
    assert e.value.code == "eoffice.assignee.outside"
    with as_user(clerk), pytest.raises(InvalidInput) as e:
        services.assign(doc, clerk, handler, days=99)
    assert e.value.code == "eoffice.assign.days"
    with as_user(demo.user("badinh")), pytest.raises(Forbidden):
        services.complete(doc, demo.user("badinh"), "không phải việc của tôi")
    with as_user(handler):
        doc = services.complete(doc, handler, "Đã xử lý")
    assert doc.state == IncomingState.DONE
