from django.contrib import admin

from .models import AuditRecord, Checkpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nothing added, changed or deleted from the admin: the trail and its checkpoints are append-only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only, even for administrators."""

    list_display = ("seq", "at", "actor", "action", "object_type", "object_id", "request_id")
    list_filter = ("action", "channel")
    search_fields = ("actor", "action", "object_id", "request_id")
    readonly_fields = [f.name for f in AuditRecord._meta.fields]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "key_label", "key_fingerprint")
