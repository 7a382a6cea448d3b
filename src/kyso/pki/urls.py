from django.urls import path, re_path

from . import views

app_name = "pki"
urlpatterns = [
    re_path(r"^ca/(?P<name>[a-z0-9-]+)\.(?P<ext>crt|pem)$", views.ca_certificate, name="ca-cert"),
    re_path(r"^crl/(?P<name>[a-z0-9-]+)\.crl$", views.crl_view, name="crl"),
    path("ocsp", views.ocsp_post, name="ocsp"),
    path("ocsp/", views.ocsp_post),
    re_path(r"^ocsp/(?P<encoded>.+)$", views.ocsp_get, name="ocsp-get"),
    path("tsa", views.tsa_post, name="tsa"),
    path("tsa/", views.tsa_post),
]

from . import ui  # noqa: E402

urlpatterns += [
    path("", ui.index, name="index"),
    path("certificates/<str:serial>/", ui.certificate, name="certificate"),
]
