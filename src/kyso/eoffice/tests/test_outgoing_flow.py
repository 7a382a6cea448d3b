"""Done-when of issue 7: an outgoing document goes from draft through the leader's signature on his phone
(PKI SIM, simulated phone), the clerk's seal and number, to its arrival in another unit, where the
verification made on arrival passes — and poppler's pdfsig agrees."""

import shutil
import subprocess

import pytest

from kyso.eoffice import services
from kyso.eoffice.models import IncomingState, OutgoingState
from kyso.files.storage import read
from kyso.mobile import simulator
from kyso.mobile.tests.conftest import last_otp
from kyso.signing.verify import verify_bytes

from .conftest import PIN, make_draft

pytestmark = pytest.mark.django_db


def _phone_confirms(user, pin=PIN):
    from kyso.mobile.models import Credential

    msisdn = Credential.objects.get(holder=user, channel="sim").msisdn
    prompt = simulator.pending_on_phone([msisdn]).first()
    assert prompt is not None, "the SIM shows the request"
    simulator.phone_answer(msisdn, prompt.mssp_trans_id, pin=pin)
    return prompt


def test_draft_to_arrival_with_a_sim_signature(demo, hn_leader, as_user, tmp_path):
    hanoi, clerk, bd_clerk = demo.user("hanoi"), demo.user("vanthu.hn"), demo.user("vanthu.bd")
    doc = make_draft(as_user, hanoi, hn_leader, signer_title="Giám đốc")
    assert doc.unit.code == "HN" and doc.state == OutgoingState.DRAFT
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi, reviewer=hn_leader)
    with as_user(hn_leader):
        services.review(doc, hn_leader, approve=True, note="Đồng ý trình ký")
        doc = services.request_phone_signature(doc, hn_leader)
    assert doc.state == OutgoingState.SIGNING
    prompt = _phone_confirms(hn_leader)
    assert "V/v triển khai ký số" in prompt.data_to_be_displayed
    with as_user(clerk):
        doc = services.get_outgoing(clerk, doc.pk)          # looking at it collects the phone's answer
    assert doc.state == OutgoingState.SIGNED and doc.signed_via == "sim"
    with as_user(clerk):
        doc = services.issue(doc, clerk)
        doc = services.dispatch(doc, clerk)
    assert doc.number == 1 and doc.symbol == "BHXH-VP" and doc.state == OutgoingState.DISPATCHED
    issued = read(doc.issued_file)
    report = verify_bytes(issued, doc_type="official", expected_title="Giám đốc")
    assert report.indication == "TOTAL_PASSED", report.to_dict()
    assert len(report.signatures) == 2

    incoming = doc.recipients.get().incoming
    assert incoming.unit.code == "HN.BD" and incoming.arrival_number == 1
    assert incoming.indication == "TOTAL_PASSED" and incoming.report["indication"] == "TOTAL_PASSED"
    assert incoming.original_number == f"1/BHXH-VP" and read(incoming.report_pdf)[:5] == b"%PDF-"
    with as_user(bd_clerk):
        incoming = services.assign(incoming, bd_clerk, demo.user("thuebao"), days=3, instructions="Triển khai")
    assert incoming.state == IncomingState.ASSIGNED and incoming.due_date is not None
    with as_user(demo.user("thuebao")):
        incoming = services.complete(incoming, demo.user("thuebao"), "Đã triển khai")
    assert incoming.state == IncomingState.DONE

    if shutil.which("pdfsig"):
        path = tmp_path / "issued.pdf"
        path.write_bytes(issued)
        out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
        assert out.count("Signature is Valid") == 2, out


def test_remote_key_signature_through_the_app(demo, app_leader, as_user):
    """The Deputy General Director confirms in the app (his key in the HSM); the VSS clerk issues."""
    from kyso.mobile import services as mobile

    drafter = demo.user("cntt")
    from django.db import transaction

    from kyso.accounts.models import RoleAssignment

    with as_user(drafter), transaction.atomic():
        RoleAssignment.objects.get_or_create(user=drafter, role="unit_officer", unit=demo.unit("VSS.CNTT"))
    doc = make_draft(as_user, drafter, app_leader, recipients=("HN", "HCM"), signer_title="Phó Tổng Giám đốc",
                     caption="KT.", on_behalf_of="Tổng Giám đốc")
    assert doc.unit.code == "VSS" and doc.drafting_unit.code == "VSS.CNTT"
    with as_user(drafter):
        services.submit_for_review(doc, drafter)
    with as_user(app_leader):
        services.review(doc, app_leader, approve=True)
        doc = services.request_phone_signature(doc, app_leader)
        mobile.confirm(doc.signature_request_id, app_leader, PIN, last_otp())
        doc = services.get_outgoing(app_leader, doc.pk)
    assert doc.state == OutgoingState.SIGNED and doc.signed_via == "app"
    admin = demo.user("admin")
    with as_user(admin):
        doc = services.dispatch(services.issue(doc, admin), admin)
    assert doc.number_symbol == "1/BHXH-CNTT"
    arrivals = {r.unit.code: r.incoming for r in doc.recipients.select_related("unit", "incoming")}
    assert set(arrivals) == {"HN", "HCM"}
    assert all(i.indication == "TOTAL_PASSED" for i in arrivals.values()), [i.report for i in arrivals.values()]
