"""Seed the data plans of letter 346's appendix (see kyso.sims.seed)."""

from django.db import migrations


def seed(apps, schema_editor):
    from kyso.sims import seed as data

    data.apply(apps)


class Migration(migrations.Migration):
    dependencies = [("sims", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
