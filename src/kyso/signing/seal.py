"""The agency unit's organisation (seal) certificate, used for receipts and signed results.

Only a unit with a seal of its own may hold one (letter 26/CNTT-HTA, Circular 185/2019/TT-BQP)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyso.core.errors import InvalidInput
from kyso.pki import keystore
from kyso.pki.bootstrap import ensure_ca
from kyso.pki.issuance import SubjectInfo, issue_for_public_key
from kyso.pki.models import CertStatus, IssuedCertificate


def _label(unit) -> str:
    return "seal-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in unit.code.lower())


def unit_seal(unit):
    """(IssuedCertificate, KeyHandle) of the unit's organisation certificate; issued from our CA on first use."""
    if not unit.has_own_seal:
        raise InvalidInput("signing.seal.no_own_seal",
                           _("%(unit)s has no seal of its own, so it cannot hold an organisation certificate."),
                           unit=unit.name)
    label = _label(unit)
    location = f"keystore:{label}"
    with transaction.atomic():
        cert = (IssuedCertificate.objects.filter(key_location=location, profile="organization", status=CertStatus.GOOD)
                .order_by("-not_after").first())

        if cert is not None and cert.not_after > timezone.now():
            return cert, keystore.get_key(label)

        ensure_ca()
        key = keystore.get_or_create_key(label, "rsa2048")
        subject = SubjectInfo(common_name=unit.name, organizational_unit=getattr(unit.parent, "name", "") or unit.name,
                              locality="")
        cert = issue_for_public_key(key.public_key(), "organization", subject, 3 * 365, key_location=location)
        return cert, key
