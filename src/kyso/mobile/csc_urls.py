"""/csc/v1/… and /csc/v2/…: the Cloud Signature Consortium API (no trailing slashes, as clients call it)."""

from django.urls import re_path

from .api import csc

V = r"^(?P<version>v1|v2)/"
urlpatterns = [
    re_path(V + r"info$", csc.InfoView.as_view(), name="csc-info"),
    re_path(V + r"auth/login$", csc.LoginView.as_view(), name="csc-login"),
    re_path(V + r"auth/revoke$", csc.RevokeView.as_view(), name="csc-revoke"),
    re_path(V + r"credentials/list$", csc.ListView.as_view(), name="csc-credentials-list"),
    re_path(V + r"credentials/info$", csc.CredInfoView.as_view(), name="csc-credentials-info"),
    re_path(V + r"credentials/sendOTP$", csc.SendOtpView.as_view(), name="csc-send-otp"),
    re_path(V + r"credentials/authorize$", csc.AuthorizeView.as_view(), name="csc-authorize"),
    re_path(V + r"signatures/signHash$", csc.SignHashView.as_view(), name="csc-sign-hash"),
    re_path(r"^(?P<version>v2)/signatures/signDoc$", csc.SignDocView.as_view(), name="csc-sign-doc"),
    re_path(r"^(?P<version>v2)/signatures/signPolling$", csc.SignPollingView.as_view(), name="csc-sign-polling"),
    re_path(r"^.*$", csc.unknown),          # the CSC error form for any other path
]
