from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

LC_VIEW = define("lifecycle.view", _("See certificates and key devices, and one's own certificate requests"))
LC_VIEW_REQUESTS = define("lifecycle.view_requests",
                          _("See the certificate requests, Form 02 lists and revocations of others in scope"))
LC_REQUEST = define("lifecycle.request", _("File a certificate request (Form 01) or a revocation request (Form 05)"))
LC_CONFIRM = define("lifecycle.confirm", _("Confirm requests, compile and send Form 02 lists, hand certificates to subscribers"))
LC_REVIEW = define("lifecycle.review", _("Review requests, exchange with the CA, hand over, send activation notices"))
LC_APPROVE = define("lifecycle.approve", _("Approve Form 02 lists for the CA"))
LC_IMPORT = define("lifecycle.import", _("Import registers of certificates already issued (letter 26/CNTT-HTA)"))
LC_DEVICE = define("lifecycle.device", _("Record key devices and their custody"))

grant(Role.SUBSCRIBER, LC_VIEW, LC_REQUEST)
grant(Role.UNIT_OFFICER, LC_VIEW, LC_VIEW_REQUESTS, LC_REQUEST, LC_CONFIRM, LC_DEVICE, LC_IMPORT)
grant(Role.IT_OFFICER, LC_VIEW, LC_VIEW_REQUESTS, LC_REQUEST, LC_REVIEW, LC_DEVICE, LC_IMPORT)
grant(Role.LEADER, LC_VIEW, LC_VIEW_REQUESTS, LC_APPROVE)
grant(Role.AUDITOR, LC_VIEW, LC_VIEW_REQUESTS)
grant(Role.CLERK, LC_VIEW)
