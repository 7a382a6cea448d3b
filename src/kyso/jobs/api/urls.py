from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("jobs", views.JobViewSet, basename="job")
app_name = "jobs"
urlpatterns = router.urls
