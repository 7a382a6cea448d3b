from django.urls import path

from . import views

app_name = "sims"
urlpatterns = [
    path("sims/plans/", views.PlanList.as_view(), name="plans"),
    path("sims/plans/<int:tier>/", views.PlanDetail.as_view(), name="plan-detail"),
    path("sims/subscriptions/", views.SubscriptionList.as_view(), name="subscriptions"),
    path("sims/subscriptions/<int:pk>/", views.SubscriptionDetail.as_view(), name="subscription-detail"),
    path("sims/subscriptions/<int:pk>/<str:action>/", views.SubscriptionAction.as_view(), name="subscription-action"),
    path("sims/import/", views.Import.as_view(), name="import"),
    path("sims/report/", views.PaymentReport.as_view(), name="report"),
    path("sims/report/close/", views.CloseMonth.as_view(), name="report-close"),
]
