"""What the notify app plugs into the platform at start-up."""

from kyso.core import audited

from .models import Notification

audited.register(Notification, exclude={"status", "attempts", "error", "sent_at", "claimed_until"})
