"""Which dossiers a person sees: a submitter his own, staff those received by the offices in their scope."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso import audit
from kyso.accounts import scope
from kyso.core.errors import NotFound
from kyso.org.models import Unit

from .models import Dossier, DossierFile, DossierTally, Submitter
from .permissions import PORTAL_VIEW


def is_submitter(user) -> bool:
    return bool(user is not None and user.is_authenticated and Submitter.objects.filter(user=user).exists())


def unit_ids(user) -> list[int]:
    """The offices whose dossiers a staff member sees (his `portal.view` scope, subtrees included)."""
    paths = scope.scope_paths(user, PORTAL_VIEW)
    if not paths:
        return []
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return list(Unit.objects.filter(q).values_list("id", flat=True))


def visible(user):
    qs = Dossier.objects.all()
    if user is None or not user.is_authenticated:
        return qs.none()
    if is_submitter(user):
        return qs.filter(submitted_by=user)
    units = unit_ids(user)
    return qs.filter(unit_id__in=units) if units else qs.none()


def visible_tally(user):
    """The statistics roll-up rows of the offices in the staff member's scope (submitters have no statistics)."""
    if user is None or not user.is_authenticated or is_submitter(user):
        return DossierTally.objects.none()
    units = unit_ids(user)
    return DossierTally.objects.filter(unit_id__in=units) if units else DossierTally.objects.none()


def get(user, code: str) -> Dossier:
    dossier = visible(user).select_related("unit", "procedure", "intake_rule", "assignee").filter(code=code).first()
    if dossier is None:
        raise NotFound("portal.dossier.not_found", _("There is no dossier %(code)s you may see."), code=code)
    return dossier


def duplicates_of(user, dossier: Dossier) -> list[Dossier]:
    """Earlier dossiers `user` may see of the same employer, procedure and period (issue 17, point 8): a
    warning on the portal and at the one-stop desk, not a refusal — a correction is filed the same way."""
    period = (dossier.data or {}).get("period", "")
    if not dossier.submitter_tax_code or not period:
        return []
    return list(visible(user).filter(procedure_id=dossier.procedure_id, submitter_tax_code=dossier.submitter_tax_code,
                                     data__period=period, pk__lt=dossier.pk).order_by("pk"))


def period_label(dossier: Dossier) -> str:
    """The declared period as people read it: 2026-11 → 11/2026."""
    period = (dossier.data or {}).get("period", "")
    year, sep, month = period.partition("-")
    return f"{month}/{year}" if sep and year.isdigit() and month.isdigit() else period


FILE_READ = "portal.personal_data.read"


def submitted_file(user, dossier: Dossier, file_id, *, via: str = "dossier.file") -> DossierFile:
    """A file the employer or citizen submitted (an employee list carries every employee's CCCD, birth date and
    salary): its submitter reads it freely; every read by a staff member — a page or the API (`via`) — is one
    record in the audit trail: who (the actor), which dossier, which file (issue 16). `dossier` is one `get()`
    let the reader see, so a refused read has stopped before and writes nothing."""
    found = dossier.files.select_related("file").filter(pk=file_id).first()
    if found is None:
        raise NotFound("portal.dossier.file_not_found", _("The dossier has no such file."))
    if dossier.submitted_by_id != user.pk:
        audit.record(FILE_READ, found, after={"via": via, "dossier": dossier.code, "file": found.file.name},
                     object_repr=f"{dossier.code}: {found.file.name}"[:255], unit_path=dossier.unit.path)
    return found
