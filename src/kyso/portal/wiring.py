"""What the portal plugs in at start-up: its permissions, the audited models, the workflow declaration and
the menu entries."""

from kyso.audit.capture import register

from . import flows, permissions, rollup, ui  # noqa: F401 - permissions, the dossier workflow, the roll-up, menu entries
from . import models as m

for _model in (m.Procedure, m.ProcedureForm, m.WorkflowStep, m.IntakeRule):
    register(_model, unit_path=lambda obj: "")
register(m.Submitter)
register(m.Dossier)
for _model in (m.DossierFile, m.DossierDocument, m.DossierEvent):
    register(_model, unit_path=lambda obj: obj.dossier.unit.path)
for _model in (m.IvanRegistration, m.SignerAuthorisation):
    register(_model, unit_path=lambda obj: obj.unit.path)
register(m.IdempotencyKey, unit_path=lambda obj: obj.dossier.unit.path if obj.dossier_id else "")
