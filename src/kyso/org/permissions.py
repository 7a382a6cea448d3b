"""What may be done with units and staff records, and which roles may."""

from django.utils.translation import gettext_lazy as _

from kyso.core.roles import Role, define, grant

ORG_VIEW_UNIT = define("org.view_unit", _("See units"))
ORG_MANAGE_UNIT = define("org.manage_unit", _("Create and change units"))
ORG_VIEW_PERSON = define("org.view_person", _("See staff records"))
ORG_MANAGE_PERSON = define("org.manage_person", _("Create and change staff records"))
ORG_PERSONAL_DATA = define("org.personal_data", _("See the personal data of staff records (identity number, birth, "
                                                  "residence, personal phones)"))
ORG_IMPORT = define("org.import", _("Import units and staff from CSV/XLSX"))
ORG_DUTY_EXCEPTION = define("org.duty_exception", _("Allow one officer to do two separated steps in a unit"))

grant(Role.IT_OFFICER, ORG_VIEW_UNIT, ORG_VIEW_PERSON, ORG_MANAGE_PERSON, ORG_PERSONAL_DATA, ORG_DUTY_EXCEPTION)
grant(Role.LEADER, ORG_VIEW_UNIT, ORG_VIEW_PERSON)
grant(Role.UNIT_OFFICER, ORG_VIEW_UNIT, ORG_VIEW_PERSON, ORG_MANAGE_PERSON, ORG_PERSONAL_DATA, ORG_IMPORT)
grant(Role.CLERK, ORG_VIEW_UNIT, ORG_VIEW_PERSON)
grant(Role.ONESTOP_OFFICER, ORG_VIEW_UNIT)
grant(Role.AUDITOR, ORG_VIEW_UNIT, ORG_VIEW_PERSON)
