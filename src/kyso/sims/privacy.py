"""Line numbers of the SIM PKI registry (issue 16: personal data only to roles that need it, every read audited).

A line's number is the number a leader's SIM PKI prompts and one-time codes arrive on — the same number his
signing credential holds, which the mobile app already treats as personal data. It is shown in full only to whom
registers and changes lines at the line's paying unit (SIMS_MANAGE), and each line shown so writes one audit
record "sims.personal_data.read"; the unit officer and the auditor, who see the registry and its payment report
(SIMS_VIEW), see it masked but for its last 3 digits — with the holder's name and the SIM serial that is enough to
match a carrier's bill. `user=None` is the server's operator at the command line: he sees them all, audited too.
"""

from __future__ import annotations

from kyso import audit
from kyso.accounts import scope
from kyso.audit.privacy import mask_value

from .permissions import SIMS_MANAGE

READ = "sims.personal_data.read"


def shown(user, subscriptions, via: str) -> set[int]:
    """The lines (subscription pks) whose number `user` sees in full, each written once to the audit trail."""
    full: set[int] = set()
    for sub in subscriptions:
        if sub.pk not in full and (user is None or scope.can(user, SIMS_MANAGE, sub.unit)):
            audit.record(READ, sub, after={"via": via})
            full.add(sub.pk)
    return full


def number(sub, full: set[int], *, local: bool = True) -> str:
    """The line's number as its reader sees it: in full (local 0912… or international +84912…) or masked."""
    if sub.pk in full:
        return sub.msisdn_local if local else sub.msisdn
    return mask_value(sub.msisdn_local)
