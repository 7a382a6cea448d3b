"""The unit tree: any depth, levels as data, subtree moves, scoped changes."""

import pytest
from django.db import transaction

from kyso.core.context import acting_as
from kyso.core.errors import Conflict, Forbidden, InvalidInput
from kyso.org import services
from kyso.org.models import Unit, UnitLevel

pytestmark = pytest.mark.django_db


def test_demo_tree_shape(demo):
    vss = demo.unit("VSS")
    assert vss.parent is None and vss.depth == 0
    provinces = Unit.objects.filter(level__code="province")
    assert provinces.count() >= 3
    for p in provinces:
        districts = p.children.filter(level__code="district")
        assert 2 <= districts.count() <= 3
        assert {"office", "collection", "book_card", "one_stop"} <= set(p.children.values_list("function", flat=True))
    assert demo.unit("HN.BD").is_in_subtree_of(demo.unit("HN"))
    assert not demo.unit("HN.BD").is_in_subtree_of(demo.unit("HCM"))
    # only the Office of a province has a seal of its own among its departments (letter 26)
    assert demo.unit("HN.VP").has_own_seal and not demo.unit("HN.THU").has_own_seal


def test_new_level_and_deep_tree(demo):
    with acting_as(label="t"), transaction.atomic():
        level = UnitLevel.objects.create(code="team", name="Tổ", rank=5, manages_subscribers=False)
        parent = demo.unit("HN.BD.MC")
        for i in range(4):
            parent = services.create_unit({"code": f"{parent.code}.T{i}", "name": f"Tổ {i}", "level": level, "parent": parent})
    assert parent.depth == demo.unit("HN.BD.MC").depth + 4
    assert parent.managing_unit().code == "HN.BD"  # teams and desks don't manage subscribers
    assert Unit.objects.subtree_of(demo.unit("HN")).filter(pk=parent.pk).exists()


def test_moving_a_unit_moves_its_subtree(demo):
    with acting_as(label="t"), transaction.atomic():
        services.update_unit(demo.unit("HN.BD"), {"parent": "HCM"})
    bd, mc = demo.unit("HN.BD"), demo.unit("HN.BD.MC")
    assert bd.path.startswith(demo.unit("HCM").path) and mc.path.startswith(bd.path)
    assert mc.depth == bd.depth + 1


def test_cycle_is_refused(demo):
    with pytest.raises(InvalidInput) as exc, acting_as(label="t"), transaction.atomic():
        services.update_unit(demo.unit("HN"), {"parent": "HN.BD"})
    assert exc.value.code == "org.unit.cycle"
    assert demo.unit("HN").parent.code == "VSS"


def test_duplicate_code_and_scope(demo):
    with pytest.raises(Conflict), acting_as(label="t"), transaction.atomic():
        services.create_unit({"code": "HN.BD", "name": "x", "level": "district", "parent": "HN"})
    with pytest.raises(Forbidden), transaction.atomic():
        services.create_unit({"code": "HCM.X", "name": "x", "level": "department", "parent": "HCM"}, actor=demo.user("hanoi"))
