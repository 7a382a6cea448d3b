from rest_framework import serializers

from ..models import Job
from ..submit import label_of


class JobSerializer(serializers.ModelSerializer):
    """A job as the API answers it: what, how far, how it ended (`error` and each refusal's message in Vietnamese)."""

    label = serializers.SerializerMethodField()
    unit = serializers.CharField(source="unit.code", read_only=True, default=None, allow_null=True)
    total = serializers.IntegerField(read_only=True)
    percent = serializers.IntegerField(read_only=True)
    failed = serializers.JSONField(source="failures", read_only=True)
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "kind", "label", "state", "unit", "total", "position", "done", "failed", "percent", "result",
                  "error_code", "error_message", "created_at", "started_at", "finished_at", "url", "page"]
        read_only_fields = fields

    def get_label(self, job) -> str:
        return label_of(job.kind)

    def get_url(self, job) -> str:
        return f"/api/v1/jobs/{job.pk}/"

    def get_page(self, job) -> str:
        return f"/jobs/{job.pk}/"
