from django.urls import path

from . import views

app_name = "sims"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("import/", views.import_view, name="import"),
    path("plans/", views.plans, name="plans"),
    path("payment/", views.payment, name="payment"),
]
