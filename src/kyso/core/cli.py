"""Helpers shared by the management commands that make up the `kyso` CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.text import capfirst

from kyso.core import context, steps
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


class ActionCommand(BaseCommand):
    """A command whose sub-commands (`action`, from `add_subparsers(dest="action")`) are `do_<action>` methods
    (`init-token`: `do_init_token`); a domain error ends it with the one error shape (`fail`)."""

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"do_{action.replace('-', '_')}")(**options)
        except KysoError as exc:
            fail(exc)


def err(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def add_user_argument(parser, required: bool = False) -> None:
    """`--user LOGIN`: act as that Kyso user (his permissions and scope apply); without it, the operator."""
    parser.add_argument("--user", "--as", dest="user", required=required, default=os.environ.get("KYSO_CLI_USER", ""),
                        help="act as this Kyso user (login name); default: KYSO_CLI_USER or the server operator")


def user_from(name: str | None):
    """The Kyso user named on the command line, or None for the server operator."""
    if not name:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=name).select_related("person__unit").first()
    if user is None:
        raise CommandError(f"[accounts.user.not_found] Không có tài khoản {name}", returncode=2)
    return user


def run(fn, *, user=None):
    """Run `fn()` as a CLI step: the operator's (or `user`'s) context, one transaction, one error shape.

    A step refused by the runner keeps what it kept on purpose (a wrong PIN counted) and exits 2."""
    with acting_as_cli(user):
        result, failure = steps.settle(fn)
    if failure is not None:
        fail(failure)
    return result


def cell(value, words: dict | None = None) -> str:
    """One value of a listing as the operator reads it: a date dd/mm/yyyy, a moment in local time, a stored code
    in words (`words` maps code to label), nothing as '-'."""
    if value is None or value == "":
        return "-"
    if words is not None:
        return str(words.get(value, value))
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if len(value) > 10 else \
                dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def write_rows(stdout, rows, cols, *, as_json: bool = False, words: dict | None = None) -> None:
    """A listing: JSON as the API gives it (`--json`, for scripts), else tab-separated cells for a person."""
    if as_json:
        stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=1))
        return
    words = words or {}
    for row in rows:
        stdout.write("\t".join(cell(row[c], words.get(c)) for c in cols))


def write_record(stdout, data: dict, fields, *, words: dict | None = None) -> None:
    """One record for a person: a line "label: value" for each (name, label) of `fields`, values as `cell` shows
    them (`words` maps a field to its code → label)."""
    words = words or {}
    for name, label in fields:
        stdout.write(f"{capfirst(str(label))}: {cell(data.get(name), words.get(name))}")
