from django.urls import path

from . import views

app_name = "signing"
urlpatterns = [
    path("verify", views.VerifyView.as_view(), name="verify"),
    path("verify/", views.VerifyView.as_view(schema=None)),   # the same endpoint, documented once
    path("sign", views.SignView.as_view(), name="sign"),
    path("sign/", views.SignView.as_view(schema=None)),
]
