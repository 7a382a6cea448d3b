"""The state tables, now read from the workflow declarations (`flows.py`): every state has a row, the
declared steps give exactly the table below, and every step out of order is refused with the stable code
`lifecycle.<kind>.out_of_order`, leaving the state unchanged.

The table is the one of the hand-written `transitions.py` it replaces, plus what the old code did outside
it, now declared: an edit files a request again from any state before approval (LISTED, RECEIVED and
SUPPLEMENT included, as `edit_request` did), and a completed request goes back to the IT Center in one step
(RETURNED or SUBMITTED → RECEIVED, which `resubmit` walked through four moves)."""

import pytest

from kyso.core.errors import InvalidState
from kyso.lifecycle.flows import DEVICE, FLOWS, LIST, REQUEST, REVOCATION
from kyso.lifecycle.models import (DeviceState as D, IssuanceRequest, KeyDevice, ListState as L, RequestList,
                                   RequestState as R, RevocationRequest, RevocationState as V)

EXPECTED = {
    "request": {
        R.SUBMITTED: {R.CONFIRMED, R.RECEIVED},
        R.CONFIRMED: {R.LISTED, R.SUBMITTED},
        R.LISTED: {R.RECEIVED, R.SUBMITTED},
        R.RECEIVED: {R.VALID, R.RETURNED, R.SUBMITTED},
        R.RETURNED: {R.SUBMITTED, R.RECEIVED},
        R.VALID: {R.IN_APPROVAL, R.SUBMITTED},
        R.IN_APPROVAL: {R.APPROVED, R.SUBMITTED},
        R.APPROVED: {R.SENT_TO_CA},
        R.SENT_TO_CA: {R.ISSUED, R.REFUSED, R.SUPPLEMENT},
        R.SUPPLEMENT: {R.SENT_TO_CA, R.SUBMITTED},
        R.REFUSED: set(),
        R.ISSUED: {R.HANDED_TO_UNIT},
        R.HANDED_TO_UNIT: {R.HANDED_TO_SUBSCRIBER},
        R.HANDED_TO_SUBSCRIBER: {R.ACTIVATED},
        R.ACTIVATED: set(),
    },
    "list": {
        L.DRAFT: {L.SENT, L.SUBMITTED},
        L.SENT: {L.RECEIVED},
        L.RECEIVED: set(),
        L.SUBMITTED: {L.APPROVED},
        L.APPROVED: {L.SENT_TO_CA},
        L.SENT_TO_CA: set(),
    },
    "device": {
        D.IN_STOCK: {D.ISSUED, D.LOST, D.DAMAGED},
        D.ISSUED: {D.RECOVERED, D.LOST, D.DAMAGED},
        D.DAMAGED: {D.RECOVERED},
        D.RECOVERED: {D.SEALED},
        D.SEALED: {D.RETURNED},
        D.LOST: set(),
        D.RETURNED: set(),
    },
    "revocation": {
        V.REQUESTED: {V.CONFIRMED},
        V.CONFIRMED: {V.SENT_TO_CA},
        V.SENT_TO_CA: {V.REVOKED},
        V.REVOKED: {V.UNIT_NOTIFIED},
        V.UNIT_NOTIFIED: {V.DEVICE_RETURNED},
        V.DEVICE_RETURNED: set(),
    },
}
MODELS = {"request": IssuanceRequest, "list": RequestList, "device": KeyDevice, "revocation": RevocationRequest}


@pytest.mark.parametrize("kind", sorted(FLOWS))
def test_the_declaration_gives_the_table(kind):
    assert FLOWS[kind].table() == EXPECTED[kind]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(FLOWS))
def test_every_step_out_of_order_is_refused(kind):
    flow, refused = FLOWS[kind], 0
    for state in EXPECTED[kind]:
        for t in flow.transitions:
            if state in t.source:
                continue
            obj = MODELS[kind](state=state)
            with pytest.raises(InvalidState) as exc:
                flow.perform(t.name, obj, actor=None)
            assert exc.value.code == f"lifecycle.{kind}.out_of_order"
            assert obj.state == state
            refused += 1
    assert refused


def test_devices_end_lost_or_returned_to_the_ca():
    table = DEVICE.table()
    assert table[D.LOST] == set() and table[D.RETURNED] == set()
    # a recovered device is sealed before it goes back to the CA
    assert D.RETURNED not in table[D.RECOVERED] and table[D.SEALED] == {D.RETURNED}


def test_issuance_path_is_reachable_from_submitted_to_activated():
    path = [R.SUBMITTED, R.CONFIRMED, R.LISTED, R.RECEIVED, R.VALID, R.IN_APPROVAL, R.APPROVED, R.SENT_TO_CA,
            R.ISSUED, R.HANDED_TO_UNIT, R.HANDED_TO_SUBSCRIBER, R.ACTIVATED]
    table = REQUEST.table()
    assert all(b in table[a] for a, b in zip(path, path[1:]))
    assert LIST.table()[L.DRAFT] >= {L.SENT} and REVOCATION.table()[V.REQUESTED] == {V.CONFIRMED}
