"""Outgoing and incoming official documents: drafting, leader's signature, clerk's seal and number, dispatch, arrival verified (Art. 8.8)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EofficeConfig(AppConfig):
    """Outgoing and incoming official documents: drafting, leader's signature, clerk's seal and number, dispatch, arrival verified (Art. 8.8)."""

    name = "kyso.eoffice"
    label = "eoffice"
    verbose_name = _("E-office")

    def ready(self):
        from kyso.audit.capture import register
        from kyso.core import inbox, nav
        from kyso.mobile import services as mobile

        from . import models as m
        from . import permissions  # noqa: F401 - defines and grants the permissions
        from . import services

        register(m.OutgoingDocument, exclude={"deferred"}, unit_path=lambda o: o.unit.path)
        register(m.Recipient, unit_path=lambda o: o.document.unit.path)
        register(m.IncomingDocument, exclude={"report"}, unit_path=lambda o: o.unit.path)
        register(m.Attachment, exclude={"report"},
                 unit_path=lambda o: (o.outgoing or o.incoming).unit.path)
        register(m.BookCounter, unit_path=lambda o: o.unit.path)
        register(m.Event, unit_path=lambda o: (o.outgoing or o.incoming).unit.path)
        mobile.on_decided("eoffice:", services._on_decided)
        nav.register(_("E-office"), "eoffice:index", perm=permissions.EOFFICE_VIEW, order=40)

        @inbox.provider
        def _waiting(user):
            from django.urls import reverse

            labels = {"to_review": (_("Drafts to review"), "info"), "to_sign": (_("Documents to sign"), "warning"),
                      "to_issue": (_("Documents to seal, number and dispatch"), "warning"),
                      "to_assign": (_("Incoming documents to assign"), "info"),
                      "to_handle": (_("Incoming documents to handle"), "info")}
            items = []
            today = None
            for key, qs in services.queues(user).items():
                n = qs.count()
                if not n:
                    continue
                overdue = 0
                if key == "to_handle":
                    from kyso.workdays.calendar import today as wd_today

                    today = today or wd_today()
                    overdue = qs.filter(due_date__lt=today).count()
                label, severity = labels[key]
                items.append(inbox.InboxItem(label=str(label), count=n, url=reverse("eoffice:index") + f"?queue={key}",
                                             app="eoffice", severity=severity, overdue=overdue))
            return items
