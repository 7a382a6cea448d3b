from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only, and without the text: it carries one-time codes and initial signing PINs (second factors that
    only their holder may read); what was sent to whom is enough to follow a delivery."""

    list_display = ("created_at", "channel", "topic", "subject", "status", "attempts")
    list_filter = ("channel", "status", "topic")
    search_fields = ("subject", "topic")
    exclude = ("body",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
