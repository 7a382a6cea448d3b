"""Plugged in at start-up (`LifecycleConfig.ready`): the permissions, the audited models, the menu entry
and the workflows whose queues the home page and `/tasks/` show."""

from django.utils.translation import gettext_lazy as _

from kyso.audit.capture import register
from kyso.core import nav
from kyso.pki.issuance import plug_approved_requests

from . import ca, flows, models, permissions

register(models.Subscriber, unit_path=lambda o: o.unit.path)
register(models.KeyDevice, unit_path=lambda o: o.unit.path)
register(models.DeviceEvent, unit_path=lambda o: o.unit.path)
register(models.IssuanceRequest, unit_path=lambda o: o.unit.path)
register(models.RequestList, unit_path=lambda o: o.unit.path)
register(models.Certificate, exclude={"der"}, unit_path=lambda o: o.subscriber.unit.path)
register(models.RevocationRequest, unit_path=lambda o: o.certificate.subscriber.unit.path)
register(models.Step, unit_path=lambda o: o.unit.path)
register(models.Record, unit_path=lambda o: o.unit.path)
nav.register(_("Certificates"), "lifecycle:index", perm=permissions.LC_VIEW, order=30)
# the CA's API and command line issue a person's or an organisation's certificate only for an approved request
plug_approved_requests(ca.bind_request)

WORKFLOWS = flows.FLOWS
