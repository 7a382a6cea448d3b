"""The agency's root (its leadership) has no managing-unit officer: the IT Center manages the subscribers
placed there, as it manages its own staff (Decision 508, Art. 3.1; `lifecycle.units.managing_unit`).
Subscribers recorded with the root as their managing unit are moved to the IT Center. Frozen: no live code."""

from django.db import migrations


def forwards(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    Subscriber = apps.get_model("lifecycle", "Subscriber")
    itc = Unit.objects.filter(function="it_center", is_active=True).order_by("path").first()
    if itc is not None:
        Subscriber.objects.filter(managing_unit__parent__isnull=True).update(managing_unit=itc)


class Migration(migrations.Migration):

    dependencies = [
        ("lifecycle", "0004_request_held_by"),
        ("org", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
