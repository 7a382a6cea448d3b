from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("lifecycle/requests", views.RequestViewSet, basename="request")
router.register("lifecycle/lists", views.ListViewSet, basename="list")
router.register("lifecycle/certificates", views.CertificateViewSet, basename="certificate")
router.register("lifecycle/revocations", views.RevocationViewSet, basename="revocation")
router.register("lifecycle/devices", views.DeviceViewSet, basename="device")
router.register("lifecycle/steps", views.StepViewSet, basename="step")
router.register("lifecycle/jobs", views.JobViewSet, basename="job")
router.register("lifecycle/records", views.RecordViewSet, basename="record")
app_name = "lifecycle"
urlpatterns = router.urls
