"""Every step leaves an event (the process control slip is built from them) and tells the submitter
by e-mail and, when a phone number is known, by SMS (delivered after commit)."""

from __future__ import annotations

from django.utils import timezone

from kyso.audit import display
from kyso.core import context
from kyso.notify.models import Channel as NotifyChannel
from kyso.notify.services import notify

from .models import Dossier, DossierEvent


def log(dossier: Dossier, action: str, note: str = "") -> DossierEvent:
    ctx = context.current()
    user = ctx.resolved_user()
    if user is None:
        actor = display.actor_label(ctx.actor_label())        # a background job by its name, not its code
    elif hasattr(user, "submitter"):
        actor = dossier.submitter_name or user.display_name    # the employer's name, not its portal login
    else:
        actor = user.display_name
    unit_name = dossier.unit.name if user is None or not hasattr(user, "submitter") else dossier.submitter_name
    return DossierEvent.objects.create(dossier=dossier, at=timezone.now(), action=action, actor=str(actor)[:200],
                                       unit_name=unit_name[:255], note=note, status=dossier.status)


def tell(dossier: Dossier, message: str) -> None:
    subject = f"[BHXH] Hồ sơ {dossier.code}"
    body = f"{message}\nTra cứu: /portal/status/?code={dossier.code}"
    notify(NotifyChannel.EMAIL, dossier.submitter_email, body, subject=subject, topic="portal.dossier", obj=dossier)
    if dossier.submitter_phone:
        notify(NotifyChannel.SMS, dossier.submitter_phone, f"{subject}: {message}"[:320], topic="portal.dossier", obj=dossier)
