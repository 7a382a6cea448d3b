"""The migrations squashed on 07/12/2026 (issue 18) leave an installation that applied the old chain with nothing to
do; one that stopped part-way through a chain is refused with what to do, not silently left half-migrated. (That
the squashed files give the same schema as the old chain was compared on SQLite and PostgreSQL when squashing.)"""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from kyso.core.checks import check_squashed_chains

pytestmark = pytest.mark.django_db


def _squashed():
    loader = MigrationExecutor(connection).loader
    return {key: m.replaces for key, m in loader.disk_migrations.items() if m.replaces}


def test_an_installation_with_the_old_chain_has_nothing_to_apply():
    squashed = _squashed()
    assert len(squashed) == 12 and all(len(old) >= 2 for old in squashed.values())
    # Django records a squashed migration and the names it replaces; an old installation has only the latter
    recorded = MigrationRecorder.Migration.objects
    recorded.filter(name__contains="_squashed_").delete()
    assert all(recorded.filter(app=a, name=n).exists() for old in squashed.values() for a, n in old)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert all(key in executor.loader.applied_migrations for key in squashed)
    assert check_squashed_chains(databases=["default"]) == []


def test_an_installation_part_way_through_a_chain_is_refused_with_what_to_do():
    (app, name), old = sorted(_squashed().items())[0]
    recorded = MigrationRecorder.Migration.objects
    recorded.filter(name__contains="_squashed_").delete()
    recorded.filter(app=old[-1][0], name=old[-1][1]).delete()
    [error] = check_squashed_chains(databases=["default"])
    assert error.id == "kyso.E001" and f"{app}.{name}" in error.msg and "07/12/2026" in error.hint
    with pytest.raises(SystemCheckError):
        call_command("migrate", "--check", verbosity=0, skip_checks=False)
