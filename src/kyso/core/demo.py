"""The demo data set, loaded by `kyso demo` and `make run`: each app contributes its part.

Apps are found by name (`<app>.demo.load(ctx)`), not imported here: `core` sits below them all."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.db import transaction

from kyso.core import steps
from kyso.core.cli import acting_as_cli

# Apps whose `demo.load(ctx)` runs, in this order; each adds to ctx what later ones need.
DEMO_STEPS = ["kyso.org", "kyso.accounts", "kyso.pki", "kyso.lifecycle", "kyso.signing", "kyso.portal",
              "kyso.mobile", "kyso.sims", "kyso.eoffice"]


def load_demo() -> list[str]:
    lines: list[str] = []
    ctx: dict = {"lines": lines}
    for module_name in DEMO_STEPS:
        if module_name not in settings.INSTALLED_APPS:
            continue
        try:
            module = importlib.import_module(f"{module_name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"{module_name}.demo":
                continue
            raise
        with acting_as_cli(), transaction.atomic(), steps.audit_action(f"demo.load.{module_name.rsplit('.', 1)[-1]}"):
            module.load(ctx)
    users = ctx.get("users", [])
    header = [f"Đơn vị: {len(ctx.get('units', {}))}; cán bộ: {len(ctx.get('people', {}))}; tài khoản demo: "
              f"{len(users)} (mật khẩu: {ctx.get('password', '')})"]
    header += [f"  {username:<12} {role} — {unit}" for username, role, unit in users]
    return header + lines
