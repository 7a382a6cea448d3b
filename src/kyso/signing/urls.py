from django.urls import path

from . import views

app_name = "signing"
urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("archive-renewals/", views.renewals_page, name="renewals"),
]
