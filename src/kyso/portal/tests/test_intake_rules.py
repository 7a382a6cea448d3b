"""Letter 2671/BHXH-CNTT as data: signed e-dossiers from 01/10/2015; barcode dossiers accepted in the
transition, refused at the desks from 01/01/2016 except the child-card procedure submitted by a
commune People's Committee that has no digital signature. The decision cites its rule."""

import datetime as dt

import pytest

from kyso.core.errors import InvalidInput
from kyso.portal import rules


def _decide(kind, on, proc="600", sub="employer", signature=True, channel="desk"):
    return rules.decide(kind=kind, channel=channel, procedure_code=proc, submitter_kind=sub, has_signature=signature, on=on)


@pytest.mark.django_db
@pytest.mark.parametrize("kind,on,proc,sub,sig,accepted,rule", [
    ("signed", dt.date(2015, 9, 30), "600", "employer", True, False, None),
    ("signed", dt.date(2015, 10, 1), "600", "employer", True, True, "2671-E-DOSSIER"),
    ("barcode", dt.date(2015, 12, 31), "600", "employer", False, True, "2671-BARCODE-TRANSITION"),
    ("barcode", dt.date(2016, 1, 1), "600", "employer", False, False, "2671-BARCODE-STOP"),
    ("barcode", dt.date(2026, 11, 23), "600", "employer", False, False, "2671-BARCODE-STOP"),
    ("barcode", dt.date(2026, 11, 23), "TE6", "commune", False, True, "2671-CHILD-CARD"),
    ("barcode", dt.date(2026, 11, 23), "TE6", "commune", True, False, "2671-BARCODE-STOP"),
    ("barcode", dt.date(2026, 11, 23), "TE6", "employer", False, False, "2671-BARCODE-STOP"),
    ("barcode", dt.date(2026, 11, 23), "600", "commune", False, False, "2671-BARCODE-STOP"),
])
def test_rule_in_force_decides(kind, on, proc, sub, sig, accepted, rule):
    decision = _decide(kind, on, proc, sub, sig)
    assert decision.accepted is accepted
    assert (decision.rule.code if decision.rule else None) == rule


@pytest.mark.django_db
def test_refusal_names_the_rule_and_its_source():
    with pytest.raises(InvalidInput) as exc:
        rules.require_accepted(kind="barcode", channel="desk", procedure_code="600", submitter_kind="employer",
                               has_signature=False, on=dt.date(2026, 1, 5))
    assert exc.value.code == "portal.intake.rule_refused"
    assert "2671-BARCODE-STOP" in exc.value.message and "2671/BHXH-CNTT" in exc.value.message


@pytest.mark.django_db
def test_rules_are_data_an_administrator_can_end():
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.portal.models import IntakeRule

    with acting_as(label="test"), transaction.atomic():
        rule = IntakeRule.objects.get(code="2671-CHILD-CARD")
        rule.valid_to = dt.date(2026, 6, 30)
        rule.save()
    assert _decide("barcode", dt.date(2026, 6, 30), "TE6", "commune", False).accepted
    assert not _decide("barcode", dt.date(2026, 7, 1), "TE6", "commune", False).accepted
