"""`POST /api/v1/sign` with a key held remotely: sole control, never the PIN alone (issue 16, finding 2).

Registered with the signing app at start-up. A remote-signing credential (key in the HSM) signs the whole
document either with a SAD that the holder obtained for exactly this document's SHA-256 (CSC
`credentials/authorize`: PIN + one-time code, SCAL2) or after he confirms the request on his phone. A PKI
SIM signs only after the carrier's prompt on the SIM, which this document path does not drive.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

from kyso.core.errors import Forbidden, InvalidInput
from kyso.signing.service import Pending

from . import scal2, services
from .models import Channel, Credential

_FORMATS = {"pdf": "P", "xml": "X"}


def sign_for_api(user, issued, data: bytes, *, fmt: str, level: str, sad: str = "", confirm: str = "", pin: str = "",
                 attempt=None):
    cred = Credential.objects.filter(certificate=issued).select_related("holder__person__unit").first()
    if cred is None:
        return None  # not a remote key: the device path applies
    if cred.holder_id != user.pk:
        raise Forbidden("signing.certificate.not_yours", _("You may only sign with your own certificate."))
    services.check_usable(cred)
    code = _FORMATS[fmt]
    if pin and attempt is not None and not sad:
        # A PIN sent here never signs on its own, but it is asked: a wrong one counts for this credential (and locks
        # it) as everywhere else, so this door is no free guessing ground.
        services.unlocked_key(cred, pin, attempt)
    if cred.channel == Channel.SIM:
        raise InvalidInput("mobile.document.sim", _("A PKI SIM signs after the prompt on the SIM: use the e-office "
                                                    "or send the document's hash through the CSC API."))
    if sad:
        return scal2.sign_documents(cred, sad=sad, documents=[(data, code, level)])[0]
    if confirm == "phone":
        digest = hashlib.sha256(data).hexdigest()
        req = services.request_document_signature(
            signer=user, data=data, name=f"tai-lieu-{digest[:12]}.{fmt}", fmt=code, level=level,
            display_text=str(_("Sign the document whose SHA-256 fingerprint begins %(fp)s")) % {"fp": digest[:16]},
            requested_by=user, credential=cred)
        return Pending(request_id=str(req.pk), poll_url=f"/api/v1/mobile/requests/{req.pk}/")
    raise Forbidden("signing.remote.sole_control",
                    _("This key is held remotely and is never unlocked by a PIN alone: authorise this document with "
                      "your PIN and a one-time code (CSC credentials/authorize with its SHA-256, then send the SAD), "
                      "or confirm on your phone (confirm=phone)."))
