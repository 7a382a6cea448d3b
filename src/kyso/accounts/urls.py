from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/managed/", views.managed_tokens, name="managed-tokens"),
    path("tokens/<str:key_id>/revoke/", views.revoke_token, name="revoke-token"),
]
