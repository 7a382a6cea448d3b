"""What the mobile app plugs in at start-up: its permissions, the audited models, the remote-key hook of the
signing service (sole control for POST /api/v1/sign), the end of CSC tokens with a session, the menu entry and
the home-page card of the requests waiting on the holder's phone."""

from django.utils.translation import gettext_lazy as _

from kyso.accounts.sessions import on_end
from kyso.audit.capture import register
from kyso.core import inbox, nav
from kyso.signing.service import register_remote_signer

from . import models as m
from . import permissions  # noqa: F401 - defines and grants the permissions
from . import simulator  # noqa: F401 - the carrier stand-in answers MSSP_URL=local
from .remote import sign_for_api
from .services import pending_for

register(m.Credential, unit_path=lambda o: o.unit_path)
register(m.SignatureRequest, exclude={"hashes", "signatures"}, unit_path=lambda o: o.unit_path)
register(m.Authorization, exclude={"sad_hash"}, unit_path=lambda o: o.credential.unit_path)
register(m.OtpChallenge, exclude={"code_hash"}, unit_path=lambda o: o.credential.unit_path)
register(m.AccessToken, exclude={"token_hash"})
register(m.SimCard, unit_path=lambda o: "")
register(m.MsspTransaction, exclude={"data_to_be_signed", "signature"}, unit_path=lambda o: "")
nav.register(_("Sign on the phone"), "mobile:phone", order=45)
register_remote_signer(sign_for_api)
on_end(lambda user: m.AccessToken.objects.filter(user=user, revoked=False).update(revoked=True))


@inbox.provider
def _waiting(user):
    n = pending_for(user).count()
    if not n:
        return []
    return [inbox.InboxItem(label=str(_("Signature requests waiting on your phone")), count=n,
                            url="/mobile/phone/", app="mobile", severity="warning")]
