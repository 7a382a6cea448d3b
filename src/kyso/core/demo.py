"""The demo data set, loaded by `kyso demo` and `make run`: each app contributes its part."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.db import transaction

from kyso import audit
from kyso.core.cli import acting_as_cli

# Apps whose `demo.load(ctx)` runs, in this order; each adds to ctx what later ones need.
DEMO_STEPS = ["kyso.pki", "kyso.lifecycle", "kyso.signing", "kyso.portal", "kyso.mobile", "kyso.sims", "kyso.eoffice"]


def load_demo() -> list[str]:
    from kyso.accounts.demo import DEMO_PASSWORD, load_users
    from kyso.org.demo import load_people, load_units

    lines: list[str] = []
    with acting_as_cli(), transaction.atomic(), audit.action("demo.load"):
        units = load_units()
        people = load_people(units)
        users = load_users(units, people)
    ctx = {"units": units, "people": people, "users": users, "lines": lines}
    for module_name in DEMO_STEPS:
        if module_name not in settings.INSTALLED_APPS:
            continue
        try:
            module = importlib.import_module(f"{module_name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"{module_name}.demo":
                continue
            raise
        with acting_as_cli(), transaction.atomic(), audit.action(f"demo.load.{module_name.rsplit('.', 1)[-1]}"):
            module.load(ctx)
    lines.insert(0, f"Đơn vị: {len(units)}; cán bộ: {len(people)}; tài khoản demo: {len(users)} (mật khẩu: {DEMO_PASSWORD})")
    for username, role, unit in users:
        lines.append(f"  {username:<12} {role} — {unit}")
    return lines
