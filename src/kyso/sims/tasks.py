"""The SIM registry's periodic job, registered with `kyso.jobs`: every morning, close the SIM PKI payment of the
months whose 5th working day after has come."""

from django.utils.translation import gettext_lazy as _

from kyso.jobs import registry

from . import importing
from .permissions import SIMS_MANAGE
from .services import close_due_months


def daily():
    return {"closed": [f"{c.month:%Y-%m}" for c in close_due_months()]}


registry.every("sims.daily", _("Closing the SIM PKI payment months"), daily, at="07:00")
registry.register(registry.Kind(name=importing.KIND, label=_("Import of SIM PKI lines"), each=importing.run_job,
                                chunk=1, perm=SIMS_MANAGE, max_attempts=2))
