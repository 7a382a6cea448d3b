"""Public status lookup by dossier code (no login): only what the receipt already shows, never who
submitted or what the files hold (Decision 352: no disclosure)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kyso.core import ratelimit
from kyso.core.errors import InvalidInput, NotFound

from .codes import CODE_RE
from .models import Dossier


def public_status_for(request, code: str) -> dict:
    """The public look-up, limited per address: dossier codes follow a pattern (office, day, number), so an
    unlimited look-up lets anyone list every office's dossiers day by day."""
    ratelimit.require(request, "portal-status", settings.KYSO_STATUS_RATE_PER_MINUTE, "portal.lookup.rate_limited",
                      _("Too many look-ups from your address: at most %(n)s a minute. Try again in %(s)s seconds."))
    return public_status(code)


def public_status(code: str) -> dict:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise InvalidInput("portal.lookup.bad_code", _("A dossier code looks like 000.01.11.G22-260123-0001."))
    d = Dossier.objects.select_related("procedure", "unit").filter(code=code).first()
    if d is None:
        raise NotFound("portal.lookup.not_found", _("There is no dossier with code %(code)s."), code=code)
    return {"code": d.code, "procedure": f"{d.procedure.code} — {d.procedure.name}", "unit": d.unit.name,
            "status": d.status, "status_label": str(d.get_status_display()), "received_on": d.received_on,
            "due_date": d.due_date, "finished_on": d.finished_on}
