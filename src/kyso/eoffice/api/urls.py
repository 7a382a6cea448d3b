from django.urls import path

from . import views

app_name = "eoffice"
urlpatterns = [
    path("eoffice/outgoing/", views.OutgoingList.as_view(), name="outgoing"),
    path("eoffice/outgoing/<uuid:pk>/", views.OutgoingDetail.as_view(), name="outgoing-detail"),
    path("eoffice/outgoing/<uuid:pk>/<str:kind>.pdf", views.OutgoingFile.as_view(), name="outgoing-file"),
    path("eoffice/outgoing/<uuid:pk>/<str:action>/", views.OutgoingAction.as_view(), name="outgoing-action"),
    path("eoffice/incoming/", views.IncomingList.as_view(), name="incoming"),
    path("eoffice/incoming/<uuid:pk>/", views.IncomingDetail.as_view(), name="incoming-detail"),
    path("eoffice/incoming/<uuid:pk>/<str:action>/", views.IncomingAction.as_view(), name="incoming-action"),
]
