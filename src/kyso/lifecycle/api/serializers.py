from rest_framework import serializers

from ..models import Certificate, DeviceEvent, IssuanceRequest, KeyDevice, RequestList, RevocationRequest, Step


class LifecycleStepSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Step
        fields = ["id", "subject_type", "subject_id", "name", "label", "unit", "started_on", "due_on", "done_on"]


class RequestSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    managing_unit = serializers.CharField(source="subscriber.managing_unit.code", read_only=True)
    steps = serializers.SerializerMethodField()
    held_by = serializers.CharField(source="held_by.username", read_only=True, default=None)

    class Meta:
        model = IssuanceRequest
        fields = ["id", "kind", "state", "full_name", "gender", "birth_date", "birth_place", "id_number",
                  "id_issue_date", "id_issue_place", "residence", "workplace", "phone_office", "phone_mobile", "fax",
                  "title", "unit", "managing_unit", "email", "old_certificate_serial", "validity_years",
                  "is_seal_holder", "guidance", "on_hold", "held_by", "version", "submitted_on", "unit_list", "approval_list",
                  "steps"]
        read_only_fields = fields

    def get_steps(self, obj) -> list[dict]:
        from ..deadlines import steps_of

        return LifecycleStepSerializer(steps_of("request", obj.pk), many=True).data


class FileRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "organization"])
    person = serializers.IntegerField(required=False, help_text="Person id (kind=person)")
    unit = serializers.CharField(required=False, help_text="Unit code (kind=organization)")
    title = serializers.CharField(required=False, allow_blank=True)
    residence = serializers.CharField(required=False, allow_blank=True)
    validity_years = serializers.IntegerField(required=False)
    old_certificate_serial = serializers.CharField(required=False, allow_blank=True)
    is_seal_holder = serializers.BooleanField(required=False)
    seal_registration = serializers.FileField(required=False)
    title_confirmation = serializers.FileField(required=False)


class ReviewSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    guidance = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["refused", "supplement"])
    reason = serializers.CharField()


class ListSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    sent_to = serializers.CharField(source="sent_to.code", read_only=True, default=None)
    requests = serializers.SerializerMethodField()

    class Meta:
        model = RequestList
        fields = ["id", "number", "unit", "is_approval_list", "state", "sent_to", "parent", "created_on", "sent_on",
                  "requests"]
        read_only_fields = fields

    def get_requests(self, obj) -> list[int]:
        from ..services import requests_in

        return [r.pk for r in requests_in(obj)]


class CompileSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, help_text="Compiling unit code (managing units)")
    requests = serializers.ListField(child=serializers.IntegerField(), required=False)
    approval = serializers.BooleanField(required=False, default=False,
                                        help_text="IT Center: the list for the leadership's approval")


class CertificateSerializer(serializers.ModelSerializer):
    subscriber = serializers.CharField(source="subscriber.name")
    unit = serializers.CharField(source="subscriber.unit.code")
    device = serializers.CharField(source="device.serial", default=None)

    class Meta:
        model = Certificate
        fields = ["id", "serial", "issuer", "subject", "not_before", "not_after", "status", "kind", "subscriber",
                  "unit", "device", "source", "mobile_sim", "effective_at", "revoked_at", "revocation_reason"]
        read_only_fields = fields


class RevocationSerializer(serializers.ModelSerializer):
    steps = serializers.SerializerMethodField()

    class Meta:
        model = RevocationRequest
        fields = ["id", "certificate", "reason", "detail", "state", "phone_notice", "device_lost_explanation",
                  "requested_on", "steps"]
        read_only_fields = ["state", "requested_on", "steps"]

    def get_steps(self, obj) -> list[dict]:
        from ..deadlines import steps_of

        return LifecycleStepSerializer(steps_of("revocation", obj.pk), many=True).data


class ReturnDeviceSerializer(serializers.Serializer):
    lost_or_damaged = serializers.ChoiceField(choices=["", "lost", "damaged"], required=False, default="")
    explanation = serializers.CharField(required=False, allow_blank=True, default="")


class DeviceEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeviceEvent
        fields = ["from_state", "to_state", "note", "at", "actor"]


class DeviceSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    holder = serializers.CharField(source="holder.name", default=None, read_only=True)
    events = DeviceEventSerializer(many=True, read_only=True)

    class Meta:
        model = KeyDevice
        fields = ["id", "serial", "model", "state", "unit", "holder", "events"]
        read_only_fields = ["state", "holder", "events"]


class DeviceChangeSerializer(serializers.Serializer):
    state = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    holder = serializers.IntegerField(required=False, help_text="Subscriber id (state=issued)")


class DeviceCreateSerializer(serializers.Serializer):
    serial = serializers.CharField()
    unit = serializers.CharField(help_text="Custodian unit code")
    model = serializers.CharField(required=False, allow_blank=True, default="")


class CertificateDetailSerializer(CertificateSerializer):
    request = serializers.IntegerField(source="request_id", read_only=True, default=None)
    revocations = serializers.SerializerMethodField()

    class Meta(CertificateSerializer.Meta):
        fields = CertificateSerializer.Meta.fields + ["request", "revocations"]
        read_only_fields = fields

    def get_revocations(self, obj) -> list[int]:
        return list(obj.revocations.values_list("pk", flat=True))


class ImportSerializer(serializers.Serializer):
    register = serializers.FileField(help_text="CSV or XLSX register (letter 26/CNTT-HTA)")
    files = serializers.ListField(child=serializers.FileField(), required=False,
                                  help_text="Certificate files (PEM/DER/PKCS#7) or zip archives")


class ImportIssuedSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Certificates issued by the external CA: PEM, DER or PKCS#7")


class SignedRecordSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The Form 03 signed by the managing unit (PDF)")


class BulkRevokeSerializer(serializers.Serializer):
    certificates = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    reason = serializers.ChoiceField(choices=["a", "c", "d", "dd", "e"])
    detail = serializers.CharField()
    phone_notice = serializers.CharField(required=False, allow_blank=True, default="")


class JobSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        from ..models import BulkJob

        model = BulkJob
        fields = ["id", "kind", "state", "unit", "total", "done", "failed", "percent", "created_at",
                  "finished_at"]
        read_only_fields = fields


class RecordSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        from ..models import Record

        model = Record
        fields = ["id", "form", "title", "number", "subject_type", "subject_id", "unit", "created_on"]
        read_only_fields = fields


class CampaignSerializer(serializers.Serializer):
    to_revoke = CertificateSerializer(many=True)
    to_request = serializers.ListField(child=serializers.DictField())


class ExpirySerializer(serializers.Serializer):
    expired = serializers.IntegerField()
    within_30 = serializers.IntegerField()
    within_60 = serializers.IntegerField()
    within_90 = serializers.IntegerField()
