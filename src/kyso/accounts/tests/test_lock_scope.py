"""Issue 16: locking and unlocking an account are steps of the step runner, checked where the account belongs — its
staff record's unit, and for an account without one (a service account, one unlinked from its staff record) the
agency's root: "no unit" never reads as "anywhere". Only roles held at the root lock or unlock such an account; a
provincial IT officer or a provincial administrator may not, from the command line as a person as from the domain.
A refusal changes nothing and writes nothing; the step is audited as the person who took it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from kyso.accounts import scope, services
from kyso.accounts.models import RoleAssignment, User
from kyso.accounts.roles import Role
from kyso.audit.models import AuditRecord
from kyso.core.context import acting_as
from kyso.core.errors import Forbidden
from kyso.org.models import Person, Unit


@pytest.fixture
def provincial(demo):
    """An IT officer and an administrator of Hà Nội, and a service account with no staff record."""
    with acting_as(label="test"), transaction.atomic():
        hanoi = Unit.objects.get(code="HN")
        people = Person.objects.filter(unit__path__startswith=hanoi.path, user__isnull=True)[:2]
        it = User.objects.create(username="cntt.hn", person=people[0])
        RoleAssignment.objects.create(user=it, role=Role.IT_OFFICER, unit=hanoi)
        admin = User.objects.create(username="quantri.hn", person=people[1])
        RoleAssignment.objects.create(user=admin, role=Role.SYSADMIN, unit=hanoi)
        service = User.objects.create_user("dichvu.ketnoi", password="x" * 16)
    return it, admin, service


def _trail(action, account):
    return list(AuditRecord.objects.filter(action=action, object_id=str(account.pk)).values_list("actor", flat=True))


def test_an_account_without_a_staff_record_belongs_to_the_agency_root(provincial):
    _it, _admin, service = provincial
    assert scope.home_unit(service) == Unit.objects.get(code="VSS") == scope.agency_root()


@pytest.mark.parametrize("action", ["lock", "unlock"])
def test_from_the_command_line_only_an_agency_wide_role(provincial, action):
    it, admin, service = provincial
    if action == "unlock":
        with acting_as(label="test"), transaction.atomic():
            services.lock(service)
    locked = User.objects.get(pk=service.pk).is_locked()
    records = AuditRecord.objects.count()
    for outsider in (it, admin):
        with pytest.raises(CommandError) as refused:
            call_command("users", action, service.username, "--user", outsider.username)
        assert "[forbidden]" in str(refused.value)
    assert User.objects.get(pk=service.pk).is_locked() == locked and AuditRecord.objects.count() == records
    call_command("users", action, service.username, "--user", "admin")
    assert User.objects.get(pk=service.pk).is_locked() == (action == "lock")
    assert _trail(f"accounts.{action}", service) == ["admin"]


def test_a_provincial_administrator_locks_the_people_of_his_province(provincial):
    _it, admin, _service = provincial
    clerk = User.objects.get(username="vanthu.hn")
    call_command("users", "lock", clerk.username, "--user", admin.username)
    assert User.objects.get(pk=clerk.pk).is_locked() and _trail("accounts.lock", clerk) == [admin.username]
    with pytest.raises(CommandError) as refused:   # Hồ Chí Minh City is not his
        call_command("users", "lock", "hcm", "--user", admin.username)
    assert "[forbidden]" in str(refused.value) and not User.objects.get(username="hcm").is_locked()


@pytest.mark.parametrize("action", ["lock", "unlock"])
def test_the_domain_refuses_a_provincial_it_officer(provincial, action):
    it, _admin, service = provincial
    records = AuditRecord.objects.count()
    with acting_as(it), pytest.raises(Forbidden):
        getattr(services, action)(service, actor=it)
    assert AuditRecord.objects.count() == records
