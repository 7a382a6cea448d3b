"""URL map: the UI per app, the API under /api/v1/, PKI publication under /pki/."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from kyso.core import views as core_views

API_APPS = ["org", "accounts", "audit", "workdays", "pki", "lifecycle", "signing", "portal", "mobile", "sims", "eoffice", "jobs"]
UI_APPS = ["org", "accounts", "audit", "workdays", "pki", "lifecycle", "signing", "portal", "mobile", "sims", "eoffice", "jobs"]


def _optional(module: str):
    """Include an app's URL module when it exists (apps grow their UI and API over time)."""
    import importlib

    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise
    return include(module)


api_patterns = [path("", inc) for inc in (_optional(f"kyso.{a}.api.urls") for a in API_APPS) if inc]

urlpatterns = [
    path("", include("kyso.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"), namespace="api")),
    path("csc/", include("kyso.mobile.csc_urls")),   # Cloud Signature Consortium API v1 and v2
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/swagger_ui.html"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
for app in UI_APPS:
    inc = _optional(f"kyso.{app}.urls")
    if inc:
        urlpatterns.append(path(f"{app}/" if app != "pki" else "pki/", inc))

handler400 = "kyso.core.views.error_400"
handler404 = "kyso.core.views.error_404"
handler403 = "kyso.core.views.error_403"
handler500 = "kyso.core.views.error_500"

admin.site.site_header = "Kyso — Quản trị"
admin.site.site_title = "Kyso"
