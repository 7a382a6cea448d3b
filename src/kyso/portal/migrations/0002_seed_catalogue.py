"""The initial catalogue (procedures 600, 601, 604, child card) and the intake rules of letter 2671."""

from django.db import migrations


def seed(apps, schema_editor):
    from kyso.portal import seed as data

    data.apply(apps)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
