"""Intake rules in force on a date decide whether a dossier may be received (letter 2671/BHXH-CNTT).

Rules are rows with effective dates; the most specific matching rule (highest priority) wins and is
cited in the decision. No matching rule means refusal: nothing is accepted by default."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput

from .models import IntakeRule, RuleDecision


@dataclass
class Decision:
    accepted: bool
    rule: IntakeRule | None


def decide(*, kind: str, channel: str, procedure_code: str, submitter_kind: str, has_signature: bool,
           on: dt.date) -> Decision:
    qs = IntakeRule.objects.filter(kind=kind, valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    qs = qs.filter(Q(channel="") | Q(channel=channel), Q(procedure_code="") | Q(procedure_code=procedure_code),
                   Q(submitter_kind="") | Q(submitter_kind=submitter_kind))
    if has_signature:
        qs = qs.filter(only_without_signature=False)
    rule = qs.order_by("-priority", "-valid_from", "code").first()
    return Decision(accepted=bool(rule and rule.decision == RuleDecision.ACCEPT), rule=rule)


def require_accepted(**kwargs) -> IntakeRule:
    """The accepting rule, or InvalidInput naming the rule that refuses (or saying none accepts)."""
    decision = decide(**kwargs)
    if decision.accepted:
        return decision.rule
    if decision.rule is not None:
        raise InvalidInput("portal.intake.rule_refused",
                           _("The dossier is refused under rule %(rule)s (%(title)s; %(citation)s)."),
                           rule=decision.rule.code, title=decision.rule.title, citation=decision.rule.citation)
    raise InvalidInput("portal.intake.no_rule", _("No intake rule in force accepts this kind of dossier on %(day)s."),
                       day=kwargs["on"].strftime("%d/%m/%Y"))
