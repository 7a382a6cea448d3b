"""Allowed state changes, as tables: a step out of order is refused with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidState

from .models import DeviceState as D
from .models import ListState as L
from .models import RequestState as R
from .models import RevocationState as V

REQUEST = {
    R.SUBMITTED: {R.CONFIRMED},
    R.CONFIRMED: {R.LISTED, R.SUBMITTED},
    R.LISTED: {R.RECEIVED},
    R.RECEIVED: {R.VALID, R.RETURNED},
    R.RETURNED: {R.SUBMITTED},                # completed by the unit, confirmed again, then resubmitted
    R.VALID: {R.IN_APPROVAL, R.SUBMITTED},
    R.IN_APPROVAL: {R.APPROVED, R.SUBMITTED},
    R.APPROVED: {R.SENT_TO_CA},
    R.SENT_TO_CA: {R.ISSUED, R.REFUSED, R.SUPPLEMENT},
    R.SUPPLEMENT: {R.SENT_TO_CA},
    R.ISSUED: {R.HANDED_TO_UNIT},
    R.HANDED_TO_UNIT: {R.HANDED_TO_SUBSCRIBER},
    R.HANDED_TO_SUBSCRIBER: {R.ACTIVATED},
    R.REFUSED: set(),
    R.ACTIVATED: set(),
}

LIST = {
    L.DRAFT: {L.SENT, L.SUBMITTED},
    L.SENT: {L.RECEIVED},
    L.RECEIVED: set(),
    L.SUBMITTED: {L.APPROVED},
    L.APPROVED: {L.SENT_TO_CA},
    L.SENT_TO_CA: set(),
}

DEVICE = {
    D.IN_STOCK: {D.ISSUED, D.LOST, D.DAMAGED},
    D.ISSUED: {D.RECOVERED, D.LOST, D.DAMAGED},
    D.DAMAGED: {D.RECOVERED},
    D.RECOVERED: {D.SEALED},
    D.SEALED: {D.RETURNED},
    D.LOST: set(),
    D.RETURNED: set(),
}

REVOCATION = {
    V.REQUESTED: {V.CONFIRMED},
    V.CONFIRMED: {V.SENT_TO_CA},
    V.SENT_TO_CA: {V.REVOKED},
    V.REVOKED: {V.UNIT_NOTIFIED},
    V.UNIT_NOTIFIED: {V.DEVICE_RETURNED},
    V.DEVICE_RETURNED: set(),
}

TABLES = {"request": REQUEST, "list": LIST, "device": DEVICE, "revocation": REVOCATION}
CHOICES = {"request": R, "list": L, "device": D, "revocation": V}
KIND_NAMES = {"request": _("request"), "list": _("list"), "device": _("key device"), "revocation": _("revocation")}


def move(kind: str, obj, to: str) -> None:
    """Set `obj.state = to` if the table allows it; otherwise refuse (nothing is saved)."""
    table = TABLES[kind]
    if to not in table.get(obj.state, set()):
        labels = dict(CHOICES[kind].choices)
        raise InvalidState(f"lifecycle.{kind}.out_of_order",
                           _("This step is not allowed now: the %(kind)s is “%(state)s”, it cannot become “%(to)s”."),
                           kind=KIND_NAMES[kind], state=labels.get(obj.state, obj.state), to=labels.get(to, to))
    obj.state = to
