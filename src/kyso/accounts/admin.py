from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Kyso", {"fields": ("person", "failed_logins", "locked_until")}),)
    raw_id_fields = ("person",)
    inlines = [RoleInline]
    list_display = ("username", "email", "person", "is_active", "locked_until")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "key_id", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("key_id", "key_hash", "created_at", "last_used_at")
