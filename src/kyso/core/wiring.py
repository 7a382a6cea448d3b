"""What core plugs in at start-up (loaded by `CoreConfig.ready`): the Celery app, and the refusal of control
characters in any text a Kyso model keeps."""

from django.db.models.signals import pre_save

from kyso.celery import app  # noqa: F401 - loaded so that @shared_task binds to Kyso's configuration
from kyso.core import asn1fix  # noqa: F401 - a structure read is not counted as changed (CMS reads in linear time)
from kyso.core.validators import refuse_control_characters

# No control characters in any text a Kyso model keeps, whichever door it came through.
pre_save.connect(refuse_control_characters, dispatch_uid="kyso.core.no_control_characters")
