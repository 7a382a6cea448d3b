import base64
import binascii
import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..dossiers import duplicates_of
from ..flows import next_step
from ..models import (Dossier, DossierDocument, DossierEvent, DossierFile, IntakeRule, IvanRegistration, Procedure,
                      ProcedureForm, SignerAuthorisation, WorkflowStep)

TAX_CODE_RE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")


class FormSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureForm
        fields = ["code", "name", "mandatory", "namespace", "xsd"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkflowStep
        fields = ["position", "step", "name"]


class ProcedureSerializer(serializers.ModelSerializer):
    forms = FormSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = ["code", "name", "processing_days", "channels", "result_type", "effective_from", "effective_to",
                  "is_active", "description", "forms", "steps"]
        read_only_fields = ["code"]

    def validate_channels(self, value):
        allowed = {"portal", "ivan", "desk"}
        if not isinstance(value, list) or not value or not set(value) <= allowed:
            raise serializers.ValidationError(_("Channels are a non-empty list of portal, ivan, desk."))
        return sorted(set(value))


class IntakeRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = IntakeRule
        fields = ["code", "title", "citation", "kind", "channel", "procedure_code", "submitter_kind",
                  "only_without_signature", "decision", "priority", "valid_from", "valid_to"]


class Base64File(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    content = serializers.CharField(help_text="base64")

    def validate_content(self, value):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(_("The content is not valid base64.")) from None


class EmployerSerializer(serializers.Serializer):
    tax_code = serializers.RegexField(TAX_CODE_RE, max_length=14)
    name = serializers.CharField(max_length=300)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)


class SubmitSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=20)
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                 help_text="Code of the receiving office (I-VAN: required)")
    employer = EmployerSerializer(required=False)
    files = Base64File(many=True)


class SupplementSerializer(serializers.Serializer):
    files = Base64File(many=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class StepRequestSerializer(serializers.Serializer):
    step = serializers.CharField(max_length=20)
    assignee = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                     help_text="assign: login of the officer who processes the dossier")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    certificate = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                        help_text="sign: serial number (hex) of the leader's own certificate on his "
                                                  "USB token")
    pin = serializers.CharField(max_length=64, required=False, allow_blank=True, trim_whitespace=False,
                                write_only=True, style={"input_type": "password"},
                                help_text="sign: the PIN of that USB token (a wrong PIN is counted by the token)")


class SupplementRequestSerializer(serializers.Serializer):
    missing = serializers.ListField(child=serializers.CharField(max_length=500), min_length=1, max_length=50)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ApologySerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    new_date = serializers.DateField()


class RefusalSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.CharField(max_length=1000), min_length=1, max_length=20)


class DossierFileSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.code", default="")
    name = serializers.CharField(source="file.name")
    sha256 = serializers.CharField(source="file.sha256")

    class Meta:
        model = DossierFile
        fields = ["id", "form", "name", "sha256", "supplement", "indication", "signer"]


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="file.name")
    sha256 = serializers.CharField(source="file.sha256")

    class Meta:
        model = DossierDocument
        fields = ["id", "kind", "name", "sha256", "data", "created_at"]


@extend_schema_serializer(component_name="DossierEvent")
class EventSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_action_label")

    class Meta:
        model = DossierEvent
        fields = ["at", "action", "label", "actor", "unit_name", "note", "status"]


class DossierListSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Dossier
        fields = ["code", "procedure", "unit", "channel", "kind", "status", "step", "submitter_name",
                  "submitter_tax_code", "received_at", "due_date", "finished_on", "on_time"]


class DossierSerializer(DossierListSerializer):
    intake_rule = serializers.CharField(source="intake_rule.code")
    files = DossierFileSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    next_step = serializers.SerializerMethodField()
    period = serializers.CharField(source="data.period", default="", read_only=True)
    duplicates = serializers.SerializerMethodField(help_text="codes of earlier dossiers of the same employer, "
                                                             "procedure and period (a warning)")

    class Meta(DossierListSerializer.Meta):
        fields = DossierListSerializer.Meta.fields + ["intake_rule", "original_due_date", "paused_days",
                                                      "supplement_requested", "apologised", "next_step", "period",
                                                      "duplicates", "files",
                                                      "documents", "events"]

    def get_next_step(self, obj) -> str | None:
        return next_step(obj)

    def get_duplicates(self, obj) -> list[str]:
        request = self.context.get("request")
        return [d.code for d in duplicates_of(getattr(request, "user", None), obj)]


class PublicStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField()
    unit = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_on = serializers.DateField()
    due_date = serializers.DateField()
    finished_on = serializers.DateField(allow_null=True)


class DeskDecodeSerializer(serializers.Serializer):
    image = serializers.FileField()


class DeskReceiveSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=40)
    procedure = serializers.CharField(max_length=20)
    submitter_kind = serializers.ChoiceField(choices=["employer", "citizen", "commune"])
    name = serializers.CharField(max_length=300)
    tax_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    has_digital_signature = serializers.BooleanField(default=False)
    payload = serializers.CharField(required=False, allow_blank=True, help_text="decoded barcode content")
    image = serializers.FileField(required=False, help_text="scanned form; decoded when no payload is given")


class IvanRegistrationSerializer(serializers.ModelSerializer):
    ivan = serializers.CharField(source="ivan.user.username", help_text="login of the I-VAN provider")
    unit = serializers.CharField(source="unit.code", help_text="code of the employer's managing office")
    registered_by = serializers.CharField(source="registered_by.username", read_only=True)

    class Meta:
        model = IvanRegistration
        fields = ["id", "ivan", "employer_tax_code", "employer_name", "unit", "valid_from", "valid_to",
                  "registered_by", "registered_at", "ended_at"]
        read_only_fields = ["id", "registered_by", "registered_at", "ended_at"]
        extra_kwargs = {"employer_tax_code": {"validators": []}, "valid_from": {"required": False}}

    def validate_employer_tax_code(self, value):
        if not TAX_CODE_RE.match(value):
            raise serializers.ValidationError(_("A tax code has 10 digits, or 13 with a branch suffix (-001)."))
        return value


class SignerAuthorisationSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", help_text="code of the employer's managing office")
    registered_by = serializers.CharField(source="registered_by.username", read_only=True)

    class Meta:
        model = SignerAuthorisation
        fields = ["id", "employer_tax_code", "employer_name", "person_id", "person_name", "unit", "valid_from",
                  "valid_to", "registered_by", "registered_at", "ended_at"]
        read_only_fields = ["id", "registered_by", "registered_at", "ended_at"]
        extra_kwargs = {"valid_from": {"required": False}}

    def validate_employer_tax_code(self, value):
        if not TAX_CODE_RE.match(value):
            raise serializers.ValidationError(_("A tax code has 10 digits, or 13 with a branch suffix (-001)."))
        return value

    def validate_person_id(self, value):
        if not re.fullmatch(r"[0-9A-Za-z]{6,20}", value.strip()):
            raise serializers.ValidationError(_("An identity number has 6 to 20 letters and digits."))
        return value.strip().upper()


class StatsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    received = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    overdue = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    refused = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    """The dossiers counted per group over the period `from`–`to` (null: unbounded)."""

    # given `start`/`end`, answered as `from`/`to` (what clients read): declared under those names — Python
    # keywords, hence `get_fields` — so that the document says what is answered.

    group = serializers.CharField()
    rows = StatsRowSerializer(many=True)
    total = StatsRowSerializer()

    def get_fields(self):
        return {**super().get_fields(),
                "from": serializers.DateField(source="start", allow_null=True, help_text="first day counted"),
                "to": serializers.DateField(source="end", allow_null=True, help_text="last day counted")}


class PrefillSerializer(serializers.Serializer):
    form = serializers.CharField()
    procedure = serializers.CharField()
    procedure_name = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    tax_code = serializers.CharField(allow_blank=True)
    submitter_kind = serializers.CharField()
    fields = serializers.DictField(child=serializers.CharField(allow_blank=True))
    payload = serializers.CharField()
