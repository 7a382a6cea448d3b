"""The e-office API's shapes: documents as read (list and detail) and what each step takes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..models import Attachment, Event, IncomingDocument, OutgoingDocument


@extend_schema_serializer(component_name="DocumentEvent")
class EventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="actor.username", default=None, allow_null=True)
    step = serializers.CharField(source="verb_display")

    class Meta:
        model = Event
        fields = ["at", "verb", "step", "by", "note"]


class OutgoingItemSerializer(serializers.ModelSerializer):
    issuer = serializers.CharField(source="unit.code")
    drafting_unit = serializers.CharField(source="drafting_unit.code")
    drafted_by = serializers.CharField(source="drafted_by.username")
    signer = serializers.CharField(source="signer.username")
    number_symbol = serializers.CharField()

    class Meta:
        model = OutgoingDocument
        fields = ["id", "state", "doc_type", "subject", "urgency", "issuer", "drafting_unit", "drafted_by", "signer",
                  "signer_title", "caption", "on_behalf_of", "version", "signed_via", "number", "symbol",
                  "number_symbol", "issued_on", "created_at"]


class RecipientSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    incoming = serializers.UUIDField(source="incoming_id", allow_null=True)


class OutgoingAttachmentSerializer(serializers.ModelSerializer):
    sealed = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "sealed"]

    def get_sealed(self, obj) -> bool:
        return obj.file_id is not None


class OutgoingSerializer(OutgoingItemSerializer):
    recipients = RecipientSerializer(many=True, source="recipients.all")
    signature_request = serializers.UUIDField(source="signature_request_id", allow_null=True)
    files = serializers.SerializerMethodField()
    attachments = OutgoingAttachmentSerializer(many=True, source="attachments.all")
    history = EventSerializer(many=True, source="events.all")

    class Meta(OutgoingItemSerializer.Meta):
        fields = OutgoingItemSerializer.Meta.fields + ["recipients", "external_recipients", "signature_request",
                                                       "files", "attachments", "history"]

    def get_files(self, d) -> dict[str, str]:
        return {k: f.sha256 for k, f in (("draft", d.draft), ("signed", d.signed_file), ("issued", d.issued_file))
                if f is not None}


class IncomingItemSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    source = serializers.UUIDField(source="source_id", allow_null=True)

    class Meta:
        model = IncomingDocument
        fields = ["id", "unit", "year", "arrival_number", "received_at", "sender", "original_number",
                  "original_date", "doc_type", "subject", "urgency", "indication", "sub_indication", "state",
                  "assignee", "due_date", "source"]


class IncomingAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "name", "indication", "sub_indication", "report"]


class IncomingSerializer(IncomingItemSerializer):
    file_sha256 = serializers.CharField(source="file.sha256")
    attachments = IncomingAttachmentSerializer(many=True, source="attachments.all")
    history = EventSerializer(many=True, source="events.all")

    class Meta(IncomingItemSerializer.Meta):
        fields = IncomingItemSerializer.Meta.fields + ["report", "file_sha256", "instructions", "outcome",
                                                       "attachments", "history"]


class LoginField(serializers.CharField):
    """A login name (empty: none)."""

    def __init__(self, **kw):
        super().__init__(required=False, allow_blank=True, default="", max_length=150, **kw)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class UnitCodes(serializers.Field):
    """Unit codes as sent (a JSON list, repeated form fields or one comma-separated string); the view reads
    them and answers `eoffice.recipient.invalid` for anything else."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


class DraftInput(serializers.Serializer):
    subject = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    doc_type = serializers.CharField(required=False, allow_blank=True, default="CV", max_length=8)
    signer = LoginField(help_text="login of the signing leader")
    signer_title = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    caption = serializers.CharField(required=False, allow_blank=True, default="", max_length=8)
    on_behalf_of = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    urgency = serializers.CharField(required=False, allow_blank=True, default="normal", max_length=16)
    recipients = UnitCodes(required=False, help_text="unit codes (a list, or comma-separated)")
    external_recipients = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    body = serializers.CharField(required=False, allow_blank=True, default="", max_length=100_000,
                                 help_text="the text, when no PDF is uploaded")
    attachments = serializers.ListField(child=serializers.FileField(), required=False,
                                        help_text="attachments in separate PDF files (Art. 8.7)")
    file = serializers.FileField(required=False)


class OutgoingActionInput(serializers.Serializer):
    reviewer = LoginField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    certificate = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    pin = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    channel = serializers.CharField(required=False, allow_blank=True, default="auto", max_length=16)
    file = serializers.FileField(required=False)


class ReceiveInput(serializers.Serializer):
    unit = serializers.CharField(max_length=64)
    file = serializers.FileField(required=False)
    sender = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    subject = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    original_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    original_date = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="dd/mm/yyyy (or yyyy-mm-dd)")
    doc_type = serializers.CharField(required=False, allow_blank=True, default="CV", max_length=8)
    urgency = serializers.CharField(required=False, allow_blank=True, default="normal", max_length=16)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class IncomingActionInput(serializers.Serializer):
    assignee = LoginField()
    days = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=60)
    instructions = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
