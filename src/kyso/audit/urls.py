from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.record_list, name="records"),
    path("verify/", views.verify_view, name="verify"),
    path("<int:seq>/", views.record_detail, name="record"),
]
