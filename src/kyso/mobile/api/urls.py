from django.urls import path

from . import views

app_name = "mobile"
urlpatterns = [
    path("mobile/credentials/", views.CredentialsView.as_view(), name="credentials"),
    path("mobile/credentials/<str:credential_id>/", views.CredentialView.as_view(), name="credential"),
    path("mobile/credentials/<str:credential_id>/enable/", views.CredentialEnableView.as_view(), name="enable"),
    path("mobile/credentials/<str:credential_id>/disable/", views.CredentialDisableView.as_view(), name="disable"),
    path("mobile/credentials/<str:credential_id>/pin/", views.PinView.as_view(), name="pin"),
    path("mobile/credentials/<str:credential_id>/unlock/", views.CredentialUnlockView.as_view(), name="unlock"),
    path("mobile/requests/", views.RequestsView.as_view(), name="requests"),
    path("mobile/requests/<uuid:request_id>/", views.RequestView.as_view(), name="request"),
    path("mobile/requests/<uuid:request_id>/document/", views.RequestDocumentView.as_view(), name="request-document"),
]
