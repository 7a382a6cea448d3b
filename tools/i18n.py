"""Re-extract the message catalogues (per app) and compile them. Needs GNU gettext.

    .venv/bin/python tools/i18n.py            # extract + compile
    .venv/bin/python tools/i18n.py --compile  # compile only

The compiled .mo files are committed, so a fresh machine needs no gettext.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "kyso"


def main():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kyso.settings_test"}
    django_admin = str(Path(sys.executable).parent / "django-admin")
    if "--compile" not in sys.argv:
        subprocess.run([django_admin, "makemessages", "-l", "vi", "--no-obsolete", "--no-location",
                        "--ignore", "tests/*", "--ignore", "*/tests/*"], cwd=ROOT, env=env, check=True)
    subprocess.run([django_admin, "compilemessages", "-l", "vi"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
