"""Four eyes in the e-office (issue 16, finding 3), the draft's other authors: a new version of a draft may be put in
by any drafter of the unit — a colleague, the reviewer after returning it, the leader named to sign it. Before, only
the one who created the draft was kept from reviewing and signing it: the Hanoi director could take a colleague's
draft, put in his own text, send it for review to himself, pass it and sign it — alone. Whoever wrote a version is
now kept off the review and the signature like the drafter (API, page, queue); the IT Center's exception for a
one-officer unit still lets him, audited."""

import pytest

from kyso.core.errors import Forbidden, InvalidInput
from kyso.eoffice import services
from kyso.eoffice.flows import OUTGOING
from kyso.eoffice.models import OutgoingState

from .conftest import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_text(demo, hn_leader, as_user):
    """The draft's first version is Hanoi's officer's; a second PDF to put in."""
    hanoi = demo.user("hanoi")
    doc = make_draft(as_user, hanoi, hn_leader, signer_title="Giám đốc")
    from kyso.files.storage import read

    return doc, read(doc.draft)


def test_the_leader_who_put_in_a_version_neither_reviews_nor_signs_it(demo, hn_leader, as_user, api, other_text):
    doc, pdf = other_text
    with as_user(hn_leader):
        services.replace_draft(doc, hn_leader, pdf, "ban-cua-giam-doc.pdf")
    # he cannot name himself reviewer …
    with as_user(hn_leader), pytest.raises(InvalidInput) as e:
        services.submit_for_review(doc, hn_leader, reviewer=hn_leader)
    assert e.value.code == "eoffice.reviewer.own_draft"
    doc.refresh_from_db()
    assert doc.state == OutgoingState.DRAFT
    # … nor review it once it is sent to the unit's reviewers (API: refused; queue and page: not offered)
    with as_user(hn_leader):
        services.submit_for_review(doc, hn_leader)
    assert not OUTGOING.may("review", doc, hn_leader)
    assert doc.pk not in OUTGOING.queue_for(hn_leader, OUTGOING.transition("review")).values_list("pk", flat=True)
    r = api("giamdoc.hn").post(f"/api/v1/eoffice/outgoing/{doc.pk}/approve/", {}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "eoffice.review.own_draft", r.content
    doc.refresh_from_db()
    assert doc.state == OutgoingState.IN_REVIEW
    # another reviewer passes it: the leader still does not sign the text he wrote
    hanoi = demo.user("hanoi")
    with as_user(hanoi), pytest.raises(Forbidden) as e:
        services.review(doc, hanoi, approve=True)   # hanoi drafted it: not him either
    badinh_reviewer = _reviewer(demo, as_user)
    with as_user(badinh_reviewer):
        services.review(doc, badinh_reviewer, approve=True)
    doc.refresh_from_db()
    assert doc.state == OutgoingState.TO_SIGN
    assert not OUTGOING.may("sign", doc, hn_leader) and not OUTGOING.may("phone", doc, hn_leader)
    with as_user(hn_leader), pytest.raises(Forbidden) as e:
        services.request_phone_signature(doc, hn_leader)
    assert e.value.code == "eoffice.sign.own_draft"


def test_the_reviewer_who_returned_it_and_rewrote_it_does_not_pass_it(demo, hn_leader, as_user, other_text):
    doc, pdf = other_text
    hanoi = demo.user("hanoi")
    reviewer = _reviewer(demo, as_user)
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi, reviewer=reviewer)
    with as_user(reviewer):
        services.review(doc, reviewer, approve=False, note="Sửa lại đoạn 2")
        services.replace_draft(doc, reviewer, pdf, "ban-sua.pdf")
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi, reviewer=None)
    with as_user(reviewer), pytest.raises(Forbidden) as e:
        services.review(doc, reviewer, approve=True)
    assert e.value.code == "eoffice.review.own_draft"


def _reviewer(demo, as_user):
    """A second reviewer of Hanoi's drafts (a unit officer at HN)."""
    from kyso.accounts import scope
    from kyso.accounts.models import RoleAssignment, User
    from kyso.org.models import Person

    person = Person.objects.filter(unit__code__startswith="HN", user__isnull=True).exclude(email="").first()
    with as_user(demo.user("admin")):
        user = User.objects.create(username="truongphong.hn", person=person)
        RoleAssignment.objects.create(user=user, role="unit_officer", unit=demo.unit("HN"))
    scope.forget(user)
    return user
