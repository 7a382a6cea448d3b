"""The audit API's shapes: a record of the trail (personal data masked for a reader who may not see it) and the
answer of a walk along the chain."""

from __future__ import annotations

from rest_framework import serializers

from .. import privacy
from ..models import AuditRecord


class AuditRecordSerializer(serializers.ModelSerializer):
    """`context["masked"]`: the records whose personal data the reader may not see (`privacy.screen`)."""

    class Meta:
        model = AuditRecord
        fields = ["seq", "at", "actor", "channel", "action", "object_type", "object_id", "object_repr", "before",
                  "after", "request_id", "client_ip", "prev_hash", "hash"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.seq in self.context.get("masked", ()):
            data["before"], data["after"] = privacy.masked(data["before"]), privacy.masked(data["after"])
        return data


class FindingSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="altered, removed, inserted, truncated or checkpoint")
    seq = serializers.IntegerField()
    detail = serializers.CharField()


class VerifyResultSerializer(serializers.Serializer):
    """A `chain.VerifyReport`: only its first finding, the one to look at first."""

    ok = serializers.BooleanField()
    checked = serializers.IntegerField()
    last_seq = serializers.IntegerField()
    checkpoints_checked = serializers.IntegerField()
    first_problem = FindingSerializer(source="first", allow_null=True)
