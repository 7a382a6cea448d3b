from django.utils.text import capfirst
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import privacy
from ..models import ContactChange, DutyException, Gender, IdType, Person, Unit, UnitFunction


class UnitSerializer(serializers.ModelSerializer):
    level = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # a root unit

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "level", "parent", "depth", "function", "has_own_seal", "address",
                  "email_domain", "phone", "gov_code", "province_name", "is_active"]


class UnitWriteSerializer(serializers.Serializer):
    """Input of create/update; business rules are checked by `kyso.org.services`."""

    code = serializers.CharField(max_length=40, required=False)
    name = serializers.CharField(max_length=255, required=False)
    short_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    level = serializers.CharField(max_length=40, required=False)
    parent = serializers.CharField(max_length=40, required=False, allow_blank=True)
    function = serializers.ChoiceField(choices=UnitFunction.choices, required=False)
    has_own_seal = serializers.BooleanField(required=False)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    email_domain = serializers.CharField(max_length=120, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    gov_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    province_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


@extend_schema_field(OpenApiTypes.STR)
class MaskableDateField(serializers.DateField):
    """A personal date as answered: a date (YYYY-MM-DD) to a reader entitled to it, else masked text
    (`privacy.masked`, e.g. "•••••••-26") — so the document says a string, not `format: date`."""


def _maskable_date(name: str) -> MaskableDateField:
    return MaskableDateField(label=capfirst(Person._meta.get_field(name).verbose_name),
                             help_text="YYYY-MM-DD, or masked text (•••••••-26) for a reader not entitled to it")


class PersonSerializer(serializers.ModelSerializer):
    """A staff record; its personal data in full only to whom `privacy` entitles (each such read audited), masked
    for any other reader — and for a caller that names no reader (`context["reader"]`, `context["via"]`)."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    birth_date = _maskable_date("birth_date")
    id_issue_date = _maskable_date("id_issue_date")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        reader = self.context.get("reader")
        if reader is not None and privacy.reveal(reader, [instance], via=self.context.get("via", "api")):
            return data
        return privacy.masked(data)

    class Meta:
        model = Person
        fields = ["id", "full_name", "gender", "birth_date", "birth_place", "nationality", "id_type", "id_number",
                  "id_issue_date", "id_issue_place", "residence", "title", "unit", "unit_name", "email",
                  "phone_office", "phone_home", "phone_mobile", "fax", "is_active"]


class PersonWriteSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    birth_date = serializers.DateField(required=False)
    birth_place = serializers.CharField(max_length=200, required=False)
    nationality = serializers.CharField(max_length=80, required=False)
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False)
    id_number = serializers.CharField(max_length=20, required=False)
    id_issue_date = serializers.DateField(required=False)
    id_issue_place = serializers.CharField(max_length=200, required=False)
    residence = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=40, required=False)
    email = serializers.EmailField(required=False)
    phone_office = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone_home = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone_mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    fax = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    REQUIRED_ON_CREATE = ("full_name", "gender", "birth_date", "birth_place", "id_number", "id_issue_date",
                          "id_issue_place", "unit", "email")

    def validate(self, attrs):
        if self.context.get("creating"):
            missing = [f for f in self.REQUIRED_ON_CREATE if f not in attrs]
            if missing:
                raise serializers.ValidationError({f: [_("This field is required.")] for f in missing})
        return attrs


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    applied = serializers.BooleanField()
    rejected = ImportRowSerializer(many=True)
    pending_confirmation = serializers.ListField(child=serializers.DictField(), required=False)
    contacts_kept = ImportRowSerializer(many=True, required=False)   # blank e-mail/mobile of a known person: kept
    notes = ImportRowSerializer(many=True, required=False)   # rows written with a note: contacts kept or waiting


class ContactChangeSerializer(serializers.ModelSerializer):
    """A change of the e-mail or mobile phone that waits for confirmation (never shows the code)."""

    person_name = serializers.CharField(source="person.full_name", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, default="")
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default="")
    confirm_on_old_channel = serializers.SerializerMethodField()

    class Meta:
        model = ContactChange
        fields = ["id", "person", "person_name", "field", "old_value", "new_value", "state", "requested_by",
                  "requested_at", "expires_at", "decided_by", "decided_at", "method", "confirm_on_old_channel"]
        read_only_fields = fields

    def get_confirm_on_old_channel(self, obj) -> bool:
        return bool(obj.code_hash)


class ContactChangeRequestSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1)
    field = serializers.ChoiceField(choices=[("email", "email"), ("phone_mobile", "phone_mobile")])
    new_value = serializers.CharField(max_length=254)


class ContactCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class DutyExceptionSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    set_by = serializers.CharField(source="set_by.username", read_only=True)

    class Meta:
        model = DutyException
        fields = ["id", "unit", "step", "other", "reason", "valid_until", "set_by", "set_at", "ended_at"]
        read_only_fields = ["id", "set_by", "set_at", "ended_at"]
