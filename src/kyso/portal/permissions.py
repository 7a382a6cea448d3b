from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

PORTAL_VIEW = define("portal.view", _("See the dossiers received by the units in scope"))
PORTAL_RECEIVE = define("portal.receive", _("Receive dossiers at the one-stop desk and return results"))
PORTAL_PROCESS = define("portal.process", _("Assign and process dossiers, request supplements, apologise, refuse"))
PORTAL_APPROVE = define("portal.approve", _("Approve dossiers"))
# Decision 508, Art. 8.2: a title's signature is used only by the holder of that title — the office's leader
# signs a result with his own certificate (then the office's seal goes over it); officers approve, never sign.
PORTAL_SIGN = define("portal.sign", _("Sign the results of dossiers with one's own certificate (the office's leader)"))
PORTAL_STATS = define("portal.stats", _("See and export dossier statistics"))
PORTAL_REGISTER = define("portal.register", _("Register employers with I-VAN providers and the people they authorise to sign"))
PORTAL_CATALOGUE = define("portal.catalogue", _("Edit the procedure catalogue and the intake rules"))

grant(Role.ONESTOP_OFFICER, PORTAL_VIEW, PORTAL_RECEIVE, PORTAL_PROCESS, PORTAL_STATS, PORTAL_REGISTER)
grant(Role.UNIT_OFFICER, PORTAL_VIEW, PORTAL_PROCESS, PORTAL_APPROVE, PORTAL_STATS, PORTAL_REGISTER)
grant(Role.LEADER, PORTAL_VIEW, PORTAL_APPROVE, PORTAL_SIGN, PORTAL_STATS)
grant(Role.AUDITOR, PORTAL_VIEW, PORTAL_STATS)
grant(Role.IT_OFFICER, PORTAL_CATALOGUE)
