from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    """Certificate lifecycle per Decision 508/QĐ-BHXH and letter 26/CNTT-HTA."""

    name = "kyso.lifecycle"
    label = "lifecycle"
    verbose_name = _("Certificate lifecycle")

    def ready(self):
        from kyso.audit.capture import register
        from kyso.core import inbox, nav

        from . import models, permissions

        register(models.Subscriber, unit_path=lambda o: o.unit.path)
        register(models.KeyDevice, unit_path=lambda o: o.unit.path)
        register(models.DeviceEvent, unit_path=lambda o: o.unit.path)
        register(models.IssuanceRequest, unit_path=lambda o: o.unit.path)
        register(models.RequestList, unit_path=lambda o: o.unit.path)
        register(models.Certificate, exclude={"der"}, unit_path=lambda o: o.subscriber.unit.path)
        register(models.RevocationRequest, unit_path=lambda o: o.certificate.subscriber.unit.path)
        register(models.Step, unit_path=lambda o: o.unit.path)
        register(models.Record, unit_path=lambda o: o.unit.path)
        register(models.BulkJob, unit_path=lambda o: o.unit.path)
        nav.register(_("Certificates"), "lifecycle:index", perm=permissions.LC_VIEW, order=30)

        @inbox.provider
        def _approvals_and_returns(user):
            """Leaders: lists waiting for approval; subscribers: their own requests sent back for completion."""
            from kyso.accounts import scope

            from .models import IssuanceRequest, ListState, RequestList, RequestState

            items = []
            if scope.has_permission_anywhere(user, permissions.LC_APPROVE):
                n = RequestList.objects.filter(is_approval_list=True, state=ListState.SUBMITTED).count()
                if n:
                    items.append(inbox.InboxItem(label=str(_("Form 02 lists waiting for your approval")), count=n,
                                                 url="/lifecycle/lists/", app="lifecycle", severity="warning"))
            if getattr(user, "person_id", None):
                n = IssuanceRequest.objects.filter(subscriber__person_id=user.person_id,
                                                   state__in=[RequestState.RETURNED, RequestState.SUPPLEMENT]).count()
                if n:
                    items.append(inbox.InboxItem(label=str(_("Your certificate requests to complete")), count=n,
                                                 url="/lifecycle/", app="lifecycle", severity="warning"))
            return items

        @inbox.provider
        def _queue(user):
            from kyso.workdays.calendar import today

            from .services import my_steps

            steps = list(my_steps(user)[:500])
            if not steps:
                return []
            overdue = sum(1 for s in steps if s.due_on < today())
            return [inbox.InboxItem(label=str(_("Certificate lifecycle steps waiting for you")), count=len(steps),
                                    url="/lifecycle/", overdue=overdue, next_due=min(s.due_on for s in steps),
                                    app="lifecycle", severity="danger" if overdue else "info")]
