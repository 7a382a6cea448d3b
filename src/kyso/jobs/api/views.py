from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from ..submit import visible_jobs
from .serializers import JobSerializer


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Background jobs the caller submitted or may follow at their unit; progress and outcome."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return visible_jobs(self.request.user).select_related("unit").order_by("-id")
