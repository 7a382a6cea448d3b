"""Plugged in at start-up (`EofficeConfig.ready`): the permissions, the audited models, the menu entry, the
mobile app's hook for the leader's phone answer and the workflows whose queues the home page and `/tasks/`
show (`flows.py`)."""

from django.utils.translation import gettext_lazy as _

from kyso.audit.capture import register
from kyso.core import nav
from kyso.mobile import services as mobile

from . import flows, models as m, permissions
from .signature import PREFIX, on_decided

register(m.OutgoingDocument, exclude={"deferred"}, unit_path=lambda o: o.unit.path)
register(m.Recipient, unit_path=lambda o: o.document.unit.path)
register(m.IncomingDocument, exclude={"report"}, unit_path=lambda o: o.unit.path)
register(m.Attachment, exclude={"report"}, unit_path=lambda o: (o.outgoing or o.incoming).unit.path)
register(m.BookCounter, unit_path=lambda o: o.unit.path)
register(m.Event, unit_path=lambda o: (o.outgoing or o.incoming).unit.path)
mobile.on_decided(PREFIX, on_decided)
nav.register(_("E-office"), "eoffice:index", perm=permissions.EOFFICE_VIEW, order=40)

WORKFLOWS = flows.FLOWS
