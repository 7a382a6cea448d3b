from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    """The agency's unit tree (levels are data) and the people who work in it."""

    name = "kyso.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from kyso.audit.capture import register

        from . import models

        register(models.UnitLevel)
        register(models.Unit)
        register(models.Person)

        from kyso.accounts import roles as perms
        from kyso.core import inbox, nav

        nav.register(_("Units"), "org:units", perm=perms.ORG_VIEW_UNIT, order=10)
        nav.register(_("Staff"), "org:people", perm=perms.ORG_VIEW_PERSON, order=20)
        inbox.provider(_staff_card)


def _staff_card(user):
    from django.urls import reverse

    from kyso.accounts import roles as perms
    from kyso.accounts import scope
    from kyso.core.inbox import InboxItem

    from .models import Person

    if not scope.has_permission_anywhere(user, perms.ORG_MANAGE_PERSON):
        return []
    n = scope.filter_by_scope(Person.objects.filter(is_active=True), user, perms.ORG_MANAGE_PERSON).count()
    return [InboxItem(_("Staff records you manage"), n, reverse("org:people"), app="org")]
