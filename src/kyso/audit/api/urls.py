from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("audit/records", views.AuditRecordViewSet, basename="audit-record")
app_name = "audit"
urlpatterns = router.urls + [path("audit/verify/", views.VerifyView.as_view(), name="verify")]
