from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("people", views.PersonViewSet, basename="person")
router.register("contact-changes", views.ContactChangeViewSet, basename="contact-change")
router.register("duty-exceptions", views.DutyExceptionViewSet, basename="duty-exception")

app_name = "org"
urlpatterns = router.urls + [
    path("imports/units/", views.UnitImportView.as_view(), name="import-units"),
    path("imports/staff/", views.StaffImportView.as_view(), name="import-staff"),
]
