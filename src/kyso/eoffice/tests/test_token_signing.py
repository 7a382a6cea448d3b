"""The leader signs at his desk with the USB token (PKCS#11, SoftHSM2 standing in): his own certificate
only, his PIN checked by the token; the visible signature carries his title (Art. 8.2)."""

import pytest
from django.db import transaction

from kyso.core.context import acting_as
from kyso.core.errors import Forbidden
from kyso.eoffice import services
from kyso.eoffice.models import OutgoingState
from kyso.files.storage import read
from kyso.pki.issuance import SubjectInfo
from kyso.pki.testing import TEST_PIN, make_signer
from kyso.signing.verify import verify_bytes

from .conftest import make_draft, to_sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_cert(hn_leader):
    person = hn_leader.person
    with acting_as(label="t"), transaction.atomic():
        issued, _key = make_signer("person", SubjectInfo(common_name=person.full_name, email=person.email,
                                                          title="Giám đốc"), key_spec="rsa2048", in_token=True)
    return issued


def test_leader_signs_with_his_token_then_clerk_issues(demo, hn_leader, token_cert, as_user):
    doc = to_sign(demo, hn_leader, as_user)
    with as_user(hn_leader), pytest.raises(Forbidden) as e:
        with transaction.atomic():
            services.sign_with_token(doc, hn_leader, certificate=token_cert.serial, pin="000000")
    assert e.value.code == "signing.device.locked"
    doc.refresh_from_db()
    assert doc.state == OutgoingState.TO_SIGN
    with as_user(hn_leader):
        doc = services.sign_with_token(doc, hn_leader, certificate=token_cert.serial, pin=TEST_PIN)
    assert doc.state == OutgoingState.SIGNED and doc.signed_via == "token"
    clerk = demo.user("vanthu.hn")
    with as_user(clerk):
        doc = services.issue(doc, clerk)
    report = verify_bytes(read(doc.issued_file), doc_type="official", expected_title="Giám đốc")
    assert report.indication == "TOTAL_PASSED", report.to_dict()


def test_nobody_signs_with_someone_elses_token(demo, hn_leader, token_cert, as_user, pki):
    """A second leader named on another document cannot use the director's certificate."""
    lanhdao = demo.user("lanhdao")
    doc = make_draft(as_user, demo.user("hanoi"), lanhdao, signer_title="Phó Tổng Giám đốc")
    hanoi = demo.user("hanoi")
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi, reviewer=hn_leader)
    with as_user(hn_leader):
        services.review(doc, hn_leader, approve=True)
    with as_user(lanhdao), pytest.raises(Forbidden) as e:
        services.sign_with_token(doc, lanhdao, certificate=token_cert.serial, pin=TEST_PIN)
    assert e.value.code == "signing.certificate.not_yours"
