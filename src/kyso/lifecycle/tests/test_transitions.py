"""The state tables: every state has a row, every allowed step passes, every other one is refused
with the stable code `lifecycle.<kind>.out_of_order` and leaves the state unchanged."""

from types import SimpleNamespace

import pytest

from kyso.core.errors import InvalidState
from kyso.lifecycle import transitions
from kyso.lifecycle.models import DeviceState, ListState, RequestState, RevocationState

CHOICES = {"request": RequestState, "list": ListState, "device": DeviceState, "revocation": RevocationState}


@pytest.mark.parametrize("kind", sorted(transitions.TABLES))
def test_every_state_has_a_row_and_targets_are_states(kind):
    table, states = transitions.TABLES[kind], set(CHOICES[kind].values)
    assert set(table) == states
    for targets in table.values():
        assert targets <= states


@pytest.mark.parametrize("kind", sorted(transitions.TABLES))
def test_walk_the_table(kind):
    table, states = transitions.TABLES[kind], list(CHOICES[kind].values)
    allowed = refused = 0
    for start in states:
        for to in states:
            obj = SimpleNamespace(state=start)
            if to in table[start]:
                transitions.move(kind, obj, to)
                assert obj.state == to
                allowed += 1
            else:
                with pytest.raises(InvalidState) as exc:
                    transitions.move(kind, obj, to)
                assert exc.value.code == f"lifecycle.{kind}.out_of_order"
                assert obj.state == start
                refused += 1
    assert allowed and refused


def test_devices_end_lost_or_returned_to_the_ca():
    assert transitions.DEVICE[DeviceState.LOST] == set()
    assert transitions.DEVICE[DeviceState.RETURNED] == set()
    # a recovered device is sealed before it goes back to the CA
    assert DeviceState.RETURNED not in transitions.DEVICE[DeviceState.RECOVERED]
    assert transitions.DEVICE[DeviceState.SEALED] == {DeviceState.RETURNED}


def test_issuance_path_is_reachable_from_submitted_to_activated():
    R = RequestState
    path = [R.SUBMITTED, R.CONFIRMED, R.LISTED, R.RECEIVED, R.VALID, R.IN_APPROVAL, R.APPROVED, R.SENT_TO_CA,
            R.ISSUED, R.HANDED_TO_UNIT, R.HANDED_TO_SUBSCRIBER, R.ACTIVATED]
    obj = SimpleNamespace(state=path[0])
    for to in path[1:]:
        transitions.move("request", obj, to)
    assert obj.state == R.ACTIVATED
