"""Four eyes in the e-office (issue 16, finding 3): the drafter never reviews nor signs his own document — he
cannot name himself reviewer (he could before), nor himself as the signing leader; the page does not offer
him the review; an exception set by the IT Center for a unit with one officer lets him, audited."""

import datetime as dt

import pytest

from kyso.audit.models import AuditRecord
from kyso.core.errors import Forbidden, InvalidInput
from kyso.eoffice import services
from kyso.eoffice.flows import OUTGOING
from kyso.eoffice.models import OutgoingState
from kyso.org import duties
from kyso.workdays.calendar import today

from .conftest import make_draft

pytestmark = pytest.mark.django_db


def test_the_drafter_cannot_name_himself_reviewer(demo, hn_leader, as_user):
    hanoi = demo.user("hanoi")
    doc = make_draft(as_user, hanoi, hn_leader)
    with as_user(hanoi), pytest.raises(InvalidInput) as e:
        services.submit_for_review(doc, hanoi, reviewer=hanoi)
    assert e.value.code == "eoffice.reviewer.own_draft" and "reviewer" in e.value.fields
    doc.refresh_from_db()
    assert doc.state == OutgoingState.DRAFT and doc.reviewer is None
    assert not doc.events.filter(verb="submitted").exists()


def test_the_drafter_never_reviews_his_own_draft(demo, hn_leader, as_user, client):
    hanoi = demo.user("hanoi")
    doc = make_draft(as_user, hanoi, hn_leader)
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi)
    assert not OUTGOING.may("review", doc, hanoi)
    with as_user(hanoi), pytest.raises(Forbidden) as e:
        services.review(doc, hanoi, approve=True)
    assert e.value.code == "eoffice.review.own_draft"
    client.force_login(hanoi)
    page = client.get(f"/eoffice/out/{doc.pk}/").content.decode()
    assert 'value="approve"' not in page, "the page does not offer him the review"
    client.post(f"/eoffice/out/{doc.pk}/", {"op": "approve"})
    doc.refresh_from_db()
    assert doc.state == OutgoingState.IN_REVIEW


def test_a_leader_does_not_sign_what_he_drafted(demo, hn_leader, as_user):
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, hn_leader, hn_leader, signer_title="Giám đốc")
    assert e.value.code == "eoffice.signer.own_draft"


def test_the_it_centers_exception_lets_a_one_officer_unit_review(demo, hn_leader, as_user):
    hanoi = demo.user("hanoi")
    doc = make_draft(as_user, hanoi, hn_leader)
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi)
    cntt = demo.user("cntt")
    with as_user(cntt):
        duties.set_exception(demo.unit("HN"), step="eoffice.outgoing.review", other="eoffice.outgoing.draft",
                             reason="Đơn vị chỉ có một cán bộ", valid_until=today() + dt.timedelta(days=30),
                             actor=cntt)
    with as_user(hanoi):
        services.review(doc, hanoi, approve=True)
    doc.refresh_from_db()
    assert doc.state == OutgoingState.TO_SIGN
    assert AuditRecord.objects.filter(action="steps.four_eyes.exception_used", object_id=str(doc.pk)).exists()
