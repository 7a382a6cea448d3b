"""Business rules of the outgoing flow: who may do each step, in which order; bad drafts refused with a code;
a failure leaves nothing half-written (the book's number is not used up)."""

import pytest
from django.db import transaction

from kyso.core.errors import Forbidden, InvalidInput, InvalidState, NotFound
from kyso.eoffice import services
from kyso.eoffice.models import BookCounter, OutgoingDocument, OutgoingState

from .conftest import make_draft, sign_on_sim, to_sign

pytestmark = pytest.mark.django_db


def _code(exc_info):
    return exc_info.value.code


def test_draft_needs_subject_leader_recipients_and_content(demo, hn_leader, as_user):
    hanoi = demo.user("hanoi")
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, hanoi, hn_leader, subject="  ")
    assert _code(e) == "eoffice.draft.invalid" and "subject" in e.value.fields
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, hanoi, demo.user("thuebao"))
    assert _code(e) == "eoffice.signer.not_leader"
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, hanoi, hn_leader, recipients=())
    assert _code(e) == "eoffice.recipient.none"
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, hanoi, hn_leader, recipients=("NOPE",))
    assert _code(e) == "eoffice.recipient.unknown"
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, hanoi, hn_leader, body="")
    assert _code(e) == "eoffice.draft.no_content"
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, hanoi, hn_leader, caption="KT.")
    assert "on_behalf_of" in e.value.fields
    assert not OutgoingDocument.objects.exists()


@pytest.mark.parametrize("data,code", [
    (b"not a pdf at all", "eoffice.file.not_pdf"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
     "signing.input.pdf_malformed"),
])
def test_bad_draft_files_are_refused(demo, hn_leader, as_user, data, code):
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, demo.user("hanoi"), hn_leader, data=data, filename="x.pdf")
    assert _code(e) == code


def test_a_signed_file_is_not_a_draft(demo, hn_leader, as_user):
    from kyso.files.storage import read

    doc = sign_on_sim(to_sign(demo, hn_leader, as_user), hn_leader, as_user)
    with pytest.raises(InvalidInput) as e:
        make_draft(as_user, demo.user("hanoi"), hn_leader, data=read(doc.signed_file), filename="signed.pdf")
    assert _code(e) == "eoffice.file.already_signed"


def test_steps_in_order_and_by_the_right_people(demo, hn_leader, as_user):
    hanoi, clerk = demo.user("hanoi"), demo.user("vanthu.hn")
    doc = make_draft(as_user, hanoi, hn_leader)
    with as_user(clerk), pytest.raises(InvalidState) as e:
        services.issue(doc, clerk)                       # not signed yet
    assert _code(e) == "eoffice.state"
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi)
    with as_user(hanoi), pytest.raises(Forbidden) as e:
        services.review(doc, hanoi, approve=True)        # not one's own draft
    assert _code(e) == "eoffice.review.own_draft"
    with as_user(hn_leader), pytest.raises(InvalidInput) as e:
        services.review(doc, hn_leader, approve=False)   # a return says why
    assert _code(e) == "eoffice.review.note"
    with as_user(hn_leader):
        services.review(doc, hn_leader, approve=False, note="Sửa trích yếu")
    doc.refresh_from_db()
    assert doc.state == OutgoingState.DRAFT and doc.events.filter(verb="returned").exists()
    with as_user(hanoi):
        services.submit_for_review(doc, hanoi)
    with as_user(hn_leader):
        services.review(doc, hn_leader, approve=True)
    with as_user(clerk), pytest.raises(Forbidden) as e:
        services.request_phone_signature(doc, clerk)     # only the named leader signs
    assert _code(e) == "eoffice.sign.not_signer"
    bd_clerk = demo.user("vanthu.bd")
    with as_user(bd_clerk), pytest.raises(NotFound):
        services.get_outgoing(bd_clerk, doc.pk)          # outside his scope: not even seen


def test_refused_on_the_phone_goes_backto_sign(demo, hn_leader, as_user):
    from kyso.mobile import services as mobile

    doc = to_sign(demo, hn_leader, as_user)
    with as_user(hn_leader):
        doc = services.request_phone_signature(doc, hn_leader)
        mobile.refuse(doc.signature_request_id, hn_leader)
        doc = services.get_outgoing(hn_leader, doc.pk)
    assert doc.state == OutgoingState.TO_SIGN and doc.signed_file is None
    assert doc.events.filter(verb="phone_refused").exists()


def test_a_failed_seal_leaves_the_number_unused(demo, hn_leader, as_user):
    """The organisation's signature fails (here the unit lost its own seal) → no number is used up."""
    clerk = demo.user("vanthu.hn")
    doc = sign_on_sim(to_sign(demo, hn_leader, as_user), hn_leader, as_user)
    hn = demo.unit("HN")
    with as_user(clerk), transaction.atomic():
        hn.has_own_seal = False
        hn.save()
    with as_user(clerk), pytest.raises(InvalidInput) as e:
        with transaction.atomic():
            services.issue(doc, clerk)
    assert _code(e) == "signing.seal.no_own_seal"
    doc.refresh_from_db()
    assert doc.state == OutgoingState.SIGNED and doc.number is None
    assert not BookCounter.objects.filter(unit=hn, book="out", last__gt=0).exists()


def test_numbers_follow_each_other_and_restart_each_year(demo, as_user):
    hn = demo.unit("HN")
    with as_user(demo.user("vanthu.hn")), transaction.atomic():
        assert [services._next_number(hn, "out", 2025) for _ in range(3)] == [1, 2, 3]
        assert services._next_number(hn, "out", 2026) == 1
        assert services._next_number(hn, "in", 2025) == 1
    assert BookCounter.objects.get(unit=hn, book="out", year=2025).last == 3


def test_symbols_follow_decree_30(demo):
    vss, it, hn, hn_vp = demo.unit("VSS"), demo.unit("VSS.CNTT"), demo.unit("HN"), demo.unit("HN.VP")
    assert services.symbol_for("CV", vss, it) == "BHXH-CNTT"
    assert services.symbol_for("QĐ", vss, it) == "QĐ-BHXH"
    assert services.symbol_for("CV", hn, hn_vp) == "BHXH-VP"
    assert services.issuing_unit_for(it) == vss and services.issuing_unit_for(hn_vp) == hn
    assert services.issuing_unit_for(demo.unit("HN.BD")).code == "HN.BD"
