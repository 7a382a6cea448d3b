"""The appendix of letter 346 as editable reference data, and the plan each title gets."""

import pytest
from django.db import transaction

from kyso.accounts.models import RoleAssignment, User
from kyso.accounts.roles import Role
from kyso.core.errors import Forbidden, InvalidInput
from kyso.org.models import Person, Unit
from kyso.sims import services
from kyso.sims.models import DataPlan

pytestmark = pytest.mark.django_db


def test_the_appendix_is_seeded():
    plans = {p.tier: p for p in DataPlan.objects.all()}
    assert sorted(plans) == [1, 2, 3, 4]
    assert [(plans[t].high_speed_mb_per_day, plans[t].throttled_down_kbps, plans[t].throttled_up_kbps)
            for t in (1, 2, 3, 4)] == [(3072, 256, 256), (3072, 128, 128), (2048, 256, 256), (2048, 128, 128)]
    assert plans[1].name == "Tổng Giám đốc"
    assert "Phó Giám đốc BHXH thành phố Hà Nội" in plans[3].name
    assert plans[1].allowance == "3 GB/ngày, sau đó 256/256 Kbps"


@pytest.mark.parametrize("unit, title, tier", [
    ("VSS", "Tổng Giám đốc", 1),
    ("VSS", "Phó Tổng Giám đốc", 2),
    ("HN", "Giám đốc", 3),
    ("HN", "Phó Giám đốc", 3),     # deputy directors of Hanoi and HCMC are in the third row
    ("HCM", "Phó Giám đốc", 3),
    ("NA", "Giám đốc", 3),
    ("NA", "Phó Giám đốc", 4),      # a province's deputy director: the fourth row
    ("DN", "Phó Giám đốc", 4),
    ("VSS.CNTT", "Giám đốc", 3),
    ("VSS.CNTT", "Phó Giám đốc", 4),
    ("NA", "Chuyên viên", None),
    ("HN.BD", "Giám đốc", None),    # district directors are not in the appendix
    ("HN.THU", "Trưởng phòng", None),
])
def test_plan_for_a_title(demo, unit, title, tier):
    person = demo.person(unit, title)
    plan = services.plan_for(person)
    assert (plan.tier if plan else None) == tier


def test_titles_with_a_suffix_and_in_other_case(demo):
    person = demo.person("VSS.PC", "Chuyên viên")
    person.title = "vụ trưởng Vụ Pháp chế"
    assert services.plan_for(person).tier == 3
    person.title = "Phó Vụ trưởng"
    assert services.plan_for(person).tier == 4


def test_the_it_center_edits_a_plan_and_the_matching(demo, as_user):
    it = demo.user("cntt")
    plan = DataPlan.objects.get(tier=4)
    with as_user(it):
        services.update_plan(it, plan, data_fee_vnd="99.000", title_rules=plan.title_rules + "\nChánh Thanh tra")
    plan.refresh_from_db()
    assert plan.data_fee_vnd == 99000
    person = demo.person("VSS.PC", "Chuyên viên")
    person.title = "Chánh Thanh tra"
    assert services.plan_for(person).tier == 4


def test_bad_plan_values_are_refused_and_nothing_changes(demo, as_user):
    it = demo.user("cntt")
    plan = DataPlan.objects.get(tier=1)
    with as_user(it), pytest.raises(InvalidInput) as exc:
        services.update_plan(it, plan, data_fee_vnd="-5", name="")
    assert set(exc.value.fields) == {"data_fee_vnd", "name"}
    plan = DataPlan.objects.get(tier=1)
    assert plan.data_fee_vnd == 150000 and plan.name == "Tổng Giám đốc"


def test_only_the_it_center_edits_plans(demo, as_user):
    hanoi = demo.user("hanoi")
    with as_user(hanoi), pytest.raises(Forbidden):
        services.update_plan(hanoi, DataPlan.objects.get(tier=1), data_fee_vnd=1)


def test_an_it_officer_of_a_province_does_not_edit_the_agencys_plans(demo, as_user, client):
    """The appendix is the whole agency's reference data: an IT officer whose role is held at a province keeps that
    province's lines, not every unit's fees (issue 16: 'anywhere' is not 'agency-wide')."""
    from django.db import transaction

    from kyso.accounts.models import RoleAssignment, User
    from kyso.accounts.roles import Role
    from kyso.org.models import Person, Unit

    hn = Unit.objects.get(code="HN")
    with as_user(None), transaction.atomic():
        officer = User.objects.create(username="cntt.hn", person=Person.objects.filter(
            unit__path__startswith=hn.path, user__isnull=True).first())
        RoleAssignment.objects.create(user=officer, role=Role.IT_OFFICER, unit=hn)
    fee = DataPlan.objects.get(tier=1).data_fee_vnd
    with as_user(officer), pytest.raises(Forbidden):
        services.update_plan(officer, DataPlan.objects.get(tier=1), data_fee_vnd=1)
    assert DataPlan.objects.get(tier=1).data_fee_vnd == fee
    assert not services.may_edit_plans(officer) and services.may_edit_plans(demo.user("cntt"))
    client.force_login(officer)
    assert client.post("/sims/plans/", {"tier": "1", "data_fee_vnd": "1"}).status_code == 403
    assert DataPlan.objects.get(tier=1).data_fee_vnd == fee


def test_an_inactive_plan_is_not_suggested(demo, as_user):
    it = demo.user("cntt")
    with as_user(it):
        services.update_plan(it, DataPlan.objects.get(tier=3), is_active=False)
    assert services.plan_for(demo.person("HN", "Giám đốc")) is None
