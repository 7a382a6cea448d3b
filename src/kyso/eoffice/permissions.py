"""Who may do what in the e-office. A role held at a unit covers its subtree; a document belongs to its
issuing organisation (outgoing) or to its receiving unit (incoming)."""

from django.utils.translation import gettext_lazy as _

from kyso.accounts.roles import Role, define, grant

EOFFICE_VIEW = define("eoffice.view", _("See the outgoing and incoming documents of a unit"))
EOFFICE_DRAFT = define("eoffice.draft", _("Draft outgoing documents"))
EOFFICE_REVIEW = define("eoffice.review", _("Review drafts before the leader signs"))
EOFFICE_SIGN = define("eoffice.sign", _("Sign outgoing documents as the competent leader"))
EOFFICE_ISSUE = define("eoffice.issue", _("Seal, number and dispatch outgoing documents (clerk)"))
EOFFICE_RECEIVE = define("eoffice.receive", _("Register incoming documents (clerk)"))
EOFFICE_ASSIGN = define("eoffice.assign", _("Assign incoming documents for handling"))

grant(Role.LEADER, EOFFICE_VIEW, EOFFICE_DRAFT, EOFFICE_REVIEW, EOFFICE_SIGN, EOFFICE_ASSIGN)
grant(Role.UNIT_OFFICER, EOFFICE_VIEW, EOFFICE_DRAFT, EOFFICE_REVIEW)
grant(Role.CLERK, EOFFICE_VIEW, EOFFICE_DRAFT, EOFFICE_ISSUE, EOFFICE_RECEIVE, EOFFICE_ASSIGN)
grant(Role.AUDITOR, EOFFICE_VIEW)
