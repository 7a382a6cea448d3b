from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("tokens/", views.TokenListView.as_view(), name="tokens"),
    path("tokens/managed/", views.ManagedTokenListView.as_view(), name="managed-tokens"),
    path("tokens/<str:key_id>/", views.TokenRevokeView.as_view(), name="token"),
]
