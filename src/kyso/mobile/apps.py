from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobileConfig(AppConfig):
    """Remote signing (CSC API v1/v2, SCAL2) and SIM PKI (ETSI TS 102 204) with a phone simulator, per letter 346/BHXH-CNTT."""

    name = "kyso.mobile"
    label = "mobile"
    verbose_name = _("Mobile and remote signing")

    def ready(self):
        from kyso.audit.capture import register
        from kyso.core import inbox, nav

        from . import models as m
        from . import permissions  # noqa: F401 - defines and grants the permissions

        register(m.Credential, unit_path=lambda o: o.unit_path)
        register(m.SignatureRequest, exclude={"hashes", "signatures"}, unit_path=lambda o: o.unit_path)
        register(m.Authorization, exclude={"sad_hash", "hashes"}, unit_path=lambda o: o.credential.unit_path)
        register(m.OtpChallenge, exclude={"code_hash"}, unit_path=lambda o: o.credential.unit_path)
        register(m.AccessToken, exclude={"token_hash"})
        register(m.SimCard, unit_path=lambda o: "")
        register(m.MsspTransaction, exclude={"data_to_be_signed", "signature"}, unit_path=lambda o: "")
        nav.register(_("Sign on the phone"), "mobile:phone", order=45)

        @inbox.provider
        def _waiting(user):
            from .services import pending_for

            n = pending_for(user).count()
            if not n:
                return []
            return [inbox.InboxItem(label=str(_("Signature requests waiting on your phone")), count=n,
                                    url="/mobile/phone/", app="mobile", severity="warning")]
