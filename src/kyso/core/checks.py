"""A database that stopped part-way through a squashed chain of migrations (issue 18).

Django replaces a squashed chain only when all or none of it is applied; with part of it applied and the old files
gone, `migrate` would plan nothing and leave the rest of the chain's schema and data steps undone, silently. This
check refuses instead, and says what to do, before `migrate` (which runs database checks) touches anything."""

from django.core import checks
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def half_applied_squashes(connection) -> list[tuple[tuple[str, str], list[tuple[str, str]]]]:
    """(squashed migration, the replaced ones applied) for every chain applied only in part."""
    if not MigrationRecorder(connection).has_table():
        return []
    applied = set(MigrationRecorder(connection).applied_migrations())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for key, migration in loader.disk_migrations.items():
        done = [old for old in migration.replaces if old in applied]
        if done and len(done) < len(migration.replaces) and key not in applied:
            found.append((key, done))
    return sorted(found)


@checks.register(checks.Tags.database)
def check_squashed_chains(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or []:
        for (app, name), done in half_applied_squashes(connections[alias]):
            errors.append(checks.Error(
                f"Cơ sở dữ liệu '{alias}' mới áp dụng một phần chuỗi migration đã gộp vào {app}.{name} "
                f"(đã có: {', '.join(n for _a, n in done)}).",
                hint="Hãy nâng cấp lên bản phát hành trước khi gộp migration (ngày 07/12/2026), chạy `kyso migrate`, "
                     "rồi mới nâng cấp lên bản này (docs/deploy.md).",
                id="kyso.E001"))
    return errors
