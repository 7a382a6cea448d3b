"""Re-extract the message catalogues and compile them. Needs GNU gettext.

    .venv/bin/python tools/i18n.py                 # every app: extract + compile
    .venv/bin/python tools/i18n.py lifecycle       # one app only (its own locale/)
    .venv/bin/python tools/i18n.py --compile       # compile only

The compiled .mo files are committed, so a fresh machine needs no gettext.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "kyso"
# Celery's Django fix-up puts the working directory first on sys.path during django.setup(); run inside an
# app folder, a module of the app named like a standard module (signing/xml.py) would then shadow it. Import
# the standard modules before that happens.
DJANGO_ADMIN = ("import xml.etree.ElementTree, sys; from django.core.management import execute_from_command_line; "
                "execute_from_command_line(['django-admin', *sys.argv[1:]])")


def main():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kyso.settings_test"}
    django_admin = [sys.executable, "-P", "-c", DJANGO_ADMIN]
    apps = [a for a in sys.argv[1:] if not a.startswith("-")]
    targets = [ROOT / a for a in apps] if apps else [ROOT]
    for target in targets:
        if "--compile" not in sys.argv:
            subprocess.run([*django_admin, "makemessages", "-l", "vi", "--no-obsolete", "--no-location",
                            "--ignore", "tests/*", "--ignore", "*/tests/*"], cwd=target, env=env, check=True)
        subprocess.run([*django_admin, "compilemessages", "-l", "vi"], cwd=target, env=env, check=True)


if __name__ == "__main__":
    main()
