"""Nothing half-written (issue 18.2): a step runs whole or not at all. Dispatching to two units whose second
can no longer receive (a district merged and closed) fails at its second half — the first unit's arrival,
its number in that unit's incoming book and the "dispatched" state are all rolled back; the page says why and
the clerk can dispatch again once the recipient is corrected."""

import pytest
from django.db import transaction

from kyso.core.errors import InvalidInput
from kyso.eoffice import services
from kyso.eoffice.models import BookCounter, IncomingDocument, OutgoingState

from .conftest import issued_by_hanoi

pytestmark = pytest.mark.django_db


def test_a_failed_second_recipient_rolls_back_the_first(demo, hn_leader, as_user, client):
    doc = issued_by_hanoi(demo, hn_leader, as_user, recipients=("HN.BD", "HN.CG"))
    clerk, cg = demo.user("vanthu.hn"), demo.unit("HN.CG")
    with as_user(clerk), transaction.atomic():
        cg.is_active = False
        cg.save()
    with as_user(clerk), pytest.raises(InvalidInput) as e:
        services.dispatch(doc, clerk)
    assert e.value.code == "eoffice.recipient.inactive" and e.value.rolled_back
    doc.refresh_from_db()
    assert doc.state == OutgoingState.ISSUED and not doc.events.filter(verb="dispatched").exists()
    assert not IncomingDocument.objects.exists(), "Ba Đình's arrival (the first half) was rolled back"
    assert not BookCounter.objects.filter(book="in", last__gt=0).exists(), "no incoming number used up"
    assert all(r.incoming_id is None for r in doc.recipients.all())

    client.force_login(clerk)       # the page: the error shown, the request's transaction still usable
    resp = client.post(f"/eoffice/out/{doc.pk}/", {"op": "dispatch"}, follow=True)
    assert resp.status_code == 200 and "Cầu Giấy" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.state == OutgoingState.ISSUED and not IncomingDocument.objects.exists()

    with as_user(clerk), transaction.atomic():
        cg.is_active = True
        cg.save()
    with as_user(clerk):
        services.dispatch(doc, clerk)
    doc.refresh_from_db()
    assert doc.state == OutgoingState.DISPATCHED and IncomingDocument.objects.count() == 2
