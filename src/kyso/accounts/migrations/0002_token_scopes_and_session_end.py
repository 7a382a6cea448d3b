
import datetime as dt

from django.db import migrations, models

MAX_DAYS = 90


def clip_tokens(apps, schema_editor):
    """Tokens minted before the limit: valid at most 90 days from their creation (older ones expire now),
    and — having been valid everywhere — scoped to every area until their owner replaces them."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.all().only("pk", "created_at", "expires_at", "scopes"):
        latest = token.created_at + dt.timedelta(days=MAX_DAYS)
        changed = {}
        if token.expires_at is None or token.expires_at > latest:
            changed["expires_at"] = latest
        if not token.scopes:
            changed["scopes"] = ["*:write"]
        if changed:
            ApiToken.objects.filter(pk=token.pk).update(**changed)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='scopes',
            field=models.JSONField(default=list, verbose_name='scopes'),
        ),
        migrations.AddField(
            model_name='user',
            name='sessions_ended_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(clip_tokens, migrations.RunPython.noop),
    ]
