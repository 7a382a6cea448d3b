from django.urls import re_path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("portal/procedures", views.ProcedureViewSet, basename="procedure")
router.register("portal/intake-rules", views.IntakeRuleViewSet, basename="intake-rule")
router.register("portal/dossiers", views.DossierViewSet, basename="dossier")
router.register("portal/ivan-registrations", views.IvanRegistrationViewSet, basename="ivan-registration")
router.register("portal/signer-authorisations", views.SignerAuthorisationViewSet, basename="signer-authorisation")
app_name = "portal"
urlpatterns = router.urls + [
    re_path(r"^portal/statistics/$", views.StatisticsView.as_view(), name="statistics"),
    re_path(r"^portal/desk/decode/$", views.DeskDecodeView.as_view(), name="desk-decode"),
    re_path(r"^portal/desk/dossiers/$", views.DeskReceiveView.as_view(), name="desk-receive"),
    re_path(rf"^portal/status/(?P<code>{views.CODE_REGEX})/$", views.PublicStatusView.as_view(), name="status"),
]
