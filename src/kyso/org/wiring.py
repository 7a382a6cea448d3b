"""What the org app plugs into the platform at start-up (called once from `OrgConfig.ready`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kyso.core import audited, authz, inbox, nav, steps

from . import duties, models
from . import permissions as perms

audited.register(models.UnitLevel)
audited.register(models.Unit)
audited.register(models.Person)
audited.register(models.ContactChange, exclude={"code_hash"}, unit_path=lambda c: c.person.unit.path)
audited.register(models.DutyException, unit_path=lambda d: d.unit.path)
steps.set_duty_exceptions(duties.allows, duties.in_force)


def _unit_names(paths):
    return dict(models.Unit.objects.filter(path__in=set(paths)).values_list("path", "name"))


@inbox.provider
def _staff_card(user):
    if not authz.has_permission_anywhere(user, perms.ORG_MANAGE_PERSON):
        return []
    n = authz.filter_by_scope(models.Person.objects.filter(is_active=True), user, perms.ORG_MANAGE_PERSON).count()
    return [inbox.InboxItem(_("Staff records you manage"), n, reverse("org:people"), app="org")]


steps.set_unit_names(_unit_names)
nav.register(_("Units"), "org:units", perm=perms.ORG_VIEW_UNIT, order=10)
nav.register(_("Staff"), "org:people", perm=perms.ORG_VIEW_PERSON, order=20)
