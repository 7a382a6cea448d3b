"""Helpers shared by the management commands that make up the `kyso` CLI."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from django.core.management.base import CommandError

from kyso.core import context
from kyso.core.errors import KysoError


@contextmanager
def acting_as_cli(user=None):
    """Attribute changes to the operator: `cli:<os user>`, or the Kyso user named in KYSO_CLI_USER."""
    if user is None and os.environ.get("KYSO_CLI_USER"):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=os.environ["KYSO_CLI_USER"]).first()
    current = context.current()
    if current.channel in ("cli", "task") or current.request is not None:
        # Already inside a request or an outer CLI context (tests call commands in-process).
        yield current
        return
    with context.acting_as(user, channel="cli") as ctx:
        yield ctx


def fail(exc: KysoError, returncode: int = 2):
    """Turn a domain error into `Lỗi [code]: message` on stderr and a non-zero exit."""
    raise CommandError(f"[{exc.code}] {exc.message}", returncode=returncode) from exc


def err(msg: str) -> None:
    sys.stderr.write(msg + "\n")
