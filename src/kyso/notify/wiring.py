"""What the notify app plugs into the platform at start-up."""

from kyso.core import audited

from .models import Notification

# The trail says who was told what about which object (channel, recipient, subject, topic, object) — never the text:
# it carries one-time codes, initial signing PINs and contact-change codes, which no reader of the trail may learn.
audited.register(Notification, exclude={"body", "status", "attempts", "error", "sent_at", "claimed_until"})
