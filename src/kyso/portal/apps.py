from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Public service portal and one-stop system: procedures, e-dossiers, workflow, statistics."""

    name = "kyso.portal"
    label = "portal"
    verbose_name = _("Public service portal")

    def ready(self):
        from kyso.audit.capture import register

        from . import permissions  # noqa: F401 - defines and grants the portal permissions
        from . import models as m

        for model in (m.Procedure, m.ProcedureForm, m.WorkflowStep, m.IntakeRule):
            register(model, unit_path=lambda obj: "")
        register(m.Submitter)
        register(m.Dossier)
        for model in (m.DossierFile, m.DossierDocument, m.DossierEvent):
            register(model, unit_path=lambda obj: obj.dossier.unit.path)
        register(m.IdempotencyKey, unit_path=lambda obj: obj.dossier.unit.path if obj.dossier_id else "")
        from . import ui  # noqa: F401 - menu entries and home-page queues
