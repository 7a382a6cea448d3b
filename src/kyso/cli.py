"""The `kyso` console script: the administrator's CLI.

Every sub-command is a Django management command (`kyso serve`, `kyso demo`, `kyso migrate`,
`kyso ca …`, `kyso audit verify`, `kyso workdays add …`), so the CLI, the views and the API
all call the same domain functions.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyso.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        args = ["help"] if not args else args
    execute_from_command_line(["kyso", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
