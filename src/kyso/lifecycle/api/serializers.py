from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kyso.jobs.api import serializers as jobs_api

from ..deadlines import steps_of
from ..privacy import PERSONAL_FIELDS
from ..models import (Certificate, DeviceEvent, IssuanceRequest, KeyDevice, Record, RequestList,
                      RevocationRequest, Step)
from ..requests import FORM01_FIELDS


class LifecycleStepSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Step
        fields = ["id", "subject_type", "subject_id", "name", "label", "unit", "started_on", "due_on", "done_on"]


class RequestSerializer(serializers.ModelSerializer):
    """A Form 01 as filed. The personal fields (`privacy.PERSONAL_FIELDS`) are null unless the reader may see
    them — the view names those requests in the context (`revealed`), each read audited."""

    unit = serializers.CharField(source="unit.code", read_only=True)
    managing_unit = serializers.CharField(source="subscriber.managing_unit.code", read_only=True)
    steps = serializers.SerializerMethodField()
    held_by = serializers.CharField(source="held_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = IssuanceRequest
        fields = ["id", "kind", "state", "full_name", "gender", "birth_date", "birth_place", "id_number",
                  "id_issue_date", "id_issue_place", "residence", "workplace", "phone_office", "phone_mobile", "fax",
                  "title", "unit", "managing_unit", "email", "old_certificate_serial", "validity_years",
                  "is_seal_holder", "guidance", "on_hold", "held_by", "version", "submitted_on", "unit_list", "approval_list",
                  "steps"]
        read_only_fields = fields
        extra_kwargs = {name: {"allow_null": True} for name in PERSONAL_FIELDS}   # null when not revealed

    def get_steps(self, obj) -> list[dict]:
        return LifecycleStepSerializer(steps_of("request", obj.pk), many=True).data

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.pk not in self.context.get("revealed", ()):
            for name in PERSONAL_FIELDS:
                data[name] = None
        return data


class Form01Serializer(serializers.ModelSerializer):
    """Form 01's own fields, every one optional: the one validation of filing and of every edit (issue 16,
    finding 8) — types, lengths and the 1–5 years of the model, then `requests.validate_form01` in the domain."""

    validity_years = serializers.IntegerField(required=False)  # 1 to 5: requests.validate_form01, one stable code

    class Meta:
        model = IssuanceRequest
        fields = FORM01_FIELDS
        extra_kwargs = {name: {"required": False} for name in FORM01_FIELDS}


class FileRequestSerializer(Form01Serializer):
    kind = serializers.ChoiceField(choices=["person", "organization"])
    person = serializers.IntegerField(required=False, help_text="Person id (kind=person)")
    unit = serializers.CharField(required=False, help_text="Unit code (kind=organization)")
    is_seal_holder = serializers.BooleanField(required=False)
    seal_registration = serializers.FileField(required=False)
    title_confirmation = serializers.FileField(required=False)

    class Meta(Form01Serializer.Meta):
        fields = [*FORM01_FIELDS, "kind", "person", "unit", "is_seal_holder", "seal_registration",
                  "title_confirmation"]


class ReviewSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    guidance = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class HandoverSerializer(serializers.Serializer):
    by_post = serializers.BooleanField(required=False, default=False,
                                       help_text="Sent by confidential post (the signed record comes back later)")


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["refused", "supplement"])
    reason = serializers.CharField()


class ListSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    sent_to = serializers.CharField(source="sent_to.code", read_only=True, default=None, allow_null=True)
    requests = serializers.SerializerMethodField()

    class Meta:
        model = RequestList
        fields = ["id", "number", "unit", "is_approval_list", "state", "sent_to", "parent", "created_on", "sent_on",
                  "requests"]
        read_only_fields = fields

    def get_requests(self, obj) -> list[int]:
        return [r.pk for r in obj.all_requests()]


class CompileSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, help_text="Compiling unit code (managing units)")
    requests = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2 ** 63 - 1),
                                     required=False)
    approval = serializers.BooleanField(required=False, default=False,
                                        help_text="IT Center: the list for the leadership's approval")


class CertificateSerializer(serializers.ModelSerializer):
    subscriber = serializers.CharField(source="subscriber.name")
    unit = serializers.CharField(source="subscriber.unit.code")
    device = serializers.CharField(source="device.serial", default=None, allow_null=True)

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
    holder = serializers.CharField(source="holder.name", default=None, read_only=True, allow_null=True)
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
    request = serializers.IntegerField(source="request_id", read_only=True, default=None, allow_null=True)
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


JobSerializer = jobs_api.JobSerializer


class RecordSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Record
        fields = ["id", "form", "title", "number", "subject_type", "subject_id", "unit", "created_on"]
        read_only_fields = fields


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CampaignSerializer(serializers.Serializer):
    to_revoke = CertificateSerializer(many=True)
    to_request = UnitRefSerializer(many=True)


class IssuedDeviceSerializer(serializers.Serializer):
    """A key device our CA issued onto, with its PIN — shown once, like a PIN envelope, never stored."""

    request = serializers.IntegerField(source="request_id")
    token = serializers.CharField(source="token_label")
    pin = serializers.CharField()


class SentToCaSerializer(ListSerializer):
    """The list sent to the CA, with the key devices our CA issued onto (context `issued`)."""

    devices = serializers.SerializerMethodField()

    class Meta(ListSerializer.Meta):
        fields = ListSerializer.Meta.fields + ["devices"]
        read_only_fields = fields

    @extend_schema_field(IssuedDeviceSerializer(many=True))
    def get_devices(self, obj):
        return IssuedDeviceSerializer(self.context.get("issued", []), many=True).data


class RejectedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    rejected = RejectedRowSerializer(many=True)

    def to_representation(self, instance):
        return {"imported": instance.imported,
                "rejected": RejectedRowSerializer([{"row": n, "code": c, "message": m} for n, c, m in instance.rejected],
                                                  many=True).data}


class RevocationCreateSerializer(serializers.Serializer):
    certificate = serializers.IntegerField()
    reason = serializers.CharField()
    detail = serializers.CharField(required=False, allow_blank=True, default="")
    phone_notice = serializers.CharField(required=False, allow_blank=True, default="")


class ExpirySerializer(serializers.Serializer):
    expired = serializers.IntegerField()
    within_30 = serializers.IntegerField()
    within_60 = serializers.IntegerField()
    within_90 = serializers.IntegerField()
