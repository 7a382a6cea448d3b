"""The IT Center's review (Art. 4.2.3): within 3 working days of receiving a request it finds it valid,
or sends it back with guidance within 2 working days; the completed request, confirmed again by the unit,
comes straight back to the IT Center."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput

from . import archive, deadlines
from .flows import REQUEST
from .models import IssuanceRequest, RequestState as R
from .officers import recorded
from .units import it_center


def review(user, req: IssuanceRequest, *, valid: bool, guidance: str = "") -> IssuanceRequest:
    guidance = (guidance or "").strip()

    def body(attempt):
        if not valid and not guidance:
            raise InvalidInput("lifecycle.review.guidance", _("An invalid request goes back with guidance."),
                               fields={"guidance": ("required", _("This field is required."))})
        req.state = R.VALID if valid else R.RETURNED
        req.guidance = guidance
        req.save()
        deadlines.close_steps("request", req.pk, "it_review")
        if not valid:
            deadlines.open_step("request", req.pk, "return_guidance", it_center())
            archive.tell_unit_and_subscriber(req.subscriber.managing_unit, req.subscriber,
                                             str(_("Guidance to complete the request: %(g)s")) % {"g": guidance})
            deadlines.close_steps("request", req.pk, "return_guidance")

    return REQUEST.perform("review", req, actor=user, body=body)


def resubmit(user, req: IssuanceRequest) -> IssuanceRequest:
    """A returned request, completed and confirmed again by the unit, goes straight back to the IT Center."""
    def body(attempt):
        req.confirmed_by = recorded(user)
        deadlines.open_step("request", req.pk, "it_review", it_center())

    return REQUEST.perform("resubmit", req, actor=user, body=body)
