"""The seal rule (letter 26/CNTT-HTA): only a unit with a seal of its own holds an organisation certificate."""

import pytest
from django.db import transaction

from kyso.core.context import acting_as
from kyso.core.errors import InvalidInput
from kyso.org.models import Unit
from kyso.signing.seal import unit_seal


def test_unit_with_own_seal_gets_one_certificate_reused(demo, pki):
    unit = Unit.objects.filter(has_own_seal=True).order_by("path").first()
    with acting_as(label="test"), transaction.atomic():
        cert, key = unit_seal(unit)
        again, _ = unit_seal(unit)
    assert cert.pk == again.pk
    assert cert.profile == "organization"
    assert cert.common_name == unit.name
    assert key.public_key().public_numbers() == cert.certificate.public_key().public_numbers()


def test_unit_without_seal_is_refused(demo, pki):
    unit = Unit.objects.filter(has_own_seal=False).first()
    with acting_as(label="test"), transaction.atomic(), pytest.raises(InvalidInput) as exc:
        unit_seal(unit)
    assert exc.value.code == "signing.seal.no_own_seal"
