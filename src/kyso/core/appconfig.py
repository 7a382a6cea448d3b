"""The one AppConfig every Kyso app derives from.

An app's start-up registrations (permissions, audited models, menu entries, workflows, plugs) live at module
level in its `wiring.py`; `ready()` loads that module once the app registry is ready. No app imports inside
`ready()` itself, so the layers contract sees every dependency of the wiring.
"""

import importlib
import importlib.util

from django.apps import AppConfig


class KysoAppConfig(AppConfig):

    def ready(self):
        module = f"{self.name}.wiring"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)

# Apps import this module, not the class: Django picks the one AppConfig subclass found in an app's apps.py.
