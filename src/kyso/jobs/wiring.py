"""Plugged in at start-up (loaded by `JobsConfig.ready`): the periodic jobs of the layers below (audit checkpoints,
notification retries), then every app's `tasks` module, where the apps above register their kinds and
periodic jobs."""

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from kyso.audit.chain import create_checkpoint
from kyso.notify.services import retry_failed
from kyso.org import importing as org_imports
from kyso.org.permissions import ORG_IMPORT

from . import registry, uploads
from .api.serializers import JobSerializer


def _checkpoint():
    cp = create_checkpoint()
    return cp.seq if cp else 0


def _submit_org_import(kind, filename, data, *, actor, dry_run):
    job = uploads.submit_files(kind, [(filename, data)], user=actor, params={"dry_run": bool(dry_run)})
    return JobSerializer(job).data


def _run_org_import(job, item):
    (filename, data), = uploads.files_of(job)
    return org_imports.run(job.kind, filename, data, actor=job.created_by, dry_run=job.params.get("dry_run", False))


# the staff and unit imports (org sits below jobs: its pages and API reach the jobs through this plug)
org_imports.plug_background(_submit_org_import)
registry.register(registry.Kind(name=org_imports.KINDS["staff"], label=_("Import of staff records"),
                                each=_run_org_import, chunk=1, perm=ORG_IMPORT, max_attempts=2))
registry.register(registry.Kind(name=org_imports.KINDS["units"], label=_("Import of the unit tree"),
                                each=_run_org_import, chunk=1, max_attempts=2))

registry.every("audit.checkpoint", _("Signed checkpoint of the audit trail"), _checkpoint, seconds=300)
registry.every("notify.retry", _("Sending again the notifications that failed"), retry_failed, seconds=600)

autodiscover_modules("tasks")
