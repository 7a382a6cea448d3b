from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("pki/cas", views.CertificateAuthorityViewSet, basename="ca")
router.register("pki/certificates", views.IssuedCertificateViewSet, basename="certificate")
app_name = "pki"
urlpatterns = router.urls
