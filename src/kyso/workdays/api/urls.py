from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("workdays/overrides", views.OverrideViewSet, basename="workday-override")
app_name = "workdays"
urlpatterns = router.urls + [
    path("workdays/add/", views.AddView.as_view(), name="add"),
    path("workdays/between/", views.BetweenView.as_view(), name="between"),
]
