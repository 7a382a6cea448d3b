from django.contrib import admin

from .models import Person, Unit, UnitLevel


@admin.register(UnitLevel)
class UnitLevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rank", "manages_subscribers", "issues_documents", "receives_dossiers")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "function", "has_own_seal", "is_active")
    list_filter = ("level", "function", "has_own_seal", "is_active")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "title", "unit", "email", "is_active")
    list_filter = ("is_active", "gender")
    search_fields = ("full_name", "email", "id_number")
    raw_id_fields = ("unit",)

    def get_readonly_fields(self, request, obj=None):
        """The e-mail and mobile phone receive one-time codes: changed only through org.contacts (confirmed on the
        old channel or by a second officer), never from the admin."""
        return ("email", "phone_mobile") if obj is not None else ()
