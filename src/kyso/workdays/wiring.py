"""What the working-day calendar plugs into the platform at start-up."""

from django.utils.translation import gettext_lazy as _

from kyso.core import audited, nav

from .models import DayOverride

audited.register(DayOverride)
nav.register(_("Working days"), "workdays:index", order=90)
