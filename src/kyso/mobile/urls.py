from django.urls import path

from . import views

app_name = "mobile"
urlpatterns = [
    path("", views.index, name="index"),
    path("phone/", views.phone, name="phone"),
    path("phone/<uuid:request_id>/", views.phone_answer, name="phone-answer"),
    path("phone/sim/<str:trans_id>/", views.sim_answer, name="sim-answer"),
    path("requests/<uuid:request_id>.json", views.request_status, name="request-status"),
    path("mssp/", views.mssp_endpoint, name="mssp"),
]
